package org.peopleseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Entry point of the Spark module ({@code bin/peopleseg spark-infer ...}, or the main class for
 * {@code spark-submit}). Errors are one line naming the file and the problem; exit codes as in the CLI (0 ok,
 * 1 some inputs failed, 2 the job could not run).
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SparkInferCommand()).setOut(out).setErr(err);
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (debug) {
                e.printStackTrace(line.getErr());
            }
            line.getErr().println("peopleseg spark-infer: " + oneLine(e));
            line.getErr().flush();
            return SparkInferCommand.ERROR;
        });
        int rc = cl.execute(rest);
        return rc == CommandLine.ExitCode.USAGE ? SparkInferCommand.ERROR : rc;
    }

    /** The innermost message that says something (Spark wraps task failures in several layers). */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof IOException || t instanceof UncheckedIOException || t.getMessage() != null) {
            String m = t.getMessage() == null ? t.toString() : t.getMessage();
            return m.lines().findFirst().orElse(m);
        }
        return t.toString();
    }
}
