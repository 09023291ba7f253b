package org.peopleseg.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code peopleseg} command: subcommands for specs, model packages, inference, benchmarks, evaluation and the
 * demo.
 *
 * <p>Exit codes: {@value #OK} success; {@value #INPUTS_FAILED} some inputs failed and the others were processed;
 * {@value #ERROR} the command could not do its job (bad usage, spec, weights, model or output); 3 from
 * {@code evaluate} when accuracy is below a floor. Errors are one line
 * naming the file and the problem; {@code --debug} adds the stack trace.
 */
@Command(name = "peopleseg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
                "People instance segmentation on the JVM: a PeopleSegNet-style Mask R-CNN (TAO spec or torchvision "
                        + "conventions) built as one ONNX graph and run by ONNX Runtime on the CPU.",
                "",
                "Start with 'peopleseg demo', then 'peopleseg <command> --help'."},
        subcommands = {
                SpecCommand.class,
                BuildCommand.class,
                InferCommand.class,
                BenchCommand.class,
                EvaluateCommand.class, EvaluateTracksCommand.class,
                DemoCommand.class,
                ImportCommand.class, ModelsCommand.class, QuantizeCommand.class,
                StreamCommand.class, StreamBenchCommand.class, ProbeCommand.class,
                ServeCommand.class,
                TrainCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:some inputs failed (reported by name); the others were processed",
                "2:usage, spec, weights, model or output error: the command could not do its job",
                "3:evaluate / evaluate-tracks: accuracy below a --min-... floor; quantize: the INT8 model failed the gate"})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int INPUTS_FAILED = 1;
    public static final int ERROR = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error instead of a one-line message.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing command: one of spec, build, import, models, quantize, infer, bench, evaluate, stream, "
                        + "evaluate-tracks, bench-stream, probe, serve, demo");
    }

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns the exit code (for tests and embedding). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured command tree: streams, exit codes and error handling. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(e -> ERROR);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        return cl;
    }

    /** A bad command line: the problem, suggestions for a misspelt option, and where to find help. */
    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ERROR;
    }

    /**
     * An exception from a command. {@link CliException}s carry their own message and exit code; anything else
     * becomes one line naming the file and problem (see {@link ErrorMessages}), or a stack trace with {@code --debug}.
     */
    private static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        boolean debug = debugRequested(parsed);
        if (ex instanceof CliException cli) {
            if (cli.getMessage() == null) {
                return cli.exitCode(); // already reported
            }
            err.println(name + ": " + cli.getMessage());
            if (debug && cli.getCause() != null) {
                cli.getCause().printStackTrace(err);
            }
            err.flush();
            return cli.exitCode();
        }
        if (debug) {
            ex.printStackTrace(err);
        } else {
            err.println(name + ": " + ErrorMessages.describe(ex));
            if (ErrorMessages.isUnexpected(ex)) {
                err.println("(an internal error: run again with --debug for the stack trace, and please report it)");
            }
        }
        err.flush();
        return ERROR;
    }

    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
