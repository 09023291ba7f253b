package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.peopleseg.models.spec.SpecException;
import org.peopleseg.models.spec.TaoSpec;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.data.ImageSelection;
import org.peopleseg.train.report.TrainingReport;
import org.peopleseg.train.run.MaskRcnnModels;
import org.peopleseg.train.run.PackageEvaluator;
import org.peopleseg.train.run.PackageWriter;
import org.peopleseg.train.run.Trainer;
import org.peopleseg.train.run.TrainingException;
import org.peopleseg.train.run.TrainingSummary;
import org.peopleseg.train.spec.TrainingConfig;
import org.peopleseg.train.spec.TrainingSpecs;

/** The work of {@code peopleseg train}, kept apart from {@link TrainCommand} because it needs the train module. */
final class TrainRun {
    /** Ctrl-C waits this long for the checkpoint to be written. */
    static final long INTERRUPT_GRACE_SECONDS = 600;

    private TrainRun() {}

    static int run(TrainCommand c, PrintWriter out, PrintWriter err) throws IOException {
        if (c.threads > 0) {
            System.setProperty("peopleseg.train.threads", Integer.toString(c.threads));
        }
        TaoSpec spec = SpecCheckCommand.parse(c.specFile);
        int[] trainIds = TrainCommand.ids("--train-ids", c.trainIds);
        int[] valIds = TrainCommand.ids("--val-ids", c.valIds);
        if (c.trainLimit < 0 || c.valLimit < 0) {
            throw CliException.error("--train-limit and --val-limit must be >= 0");
        }
        var overrides = new TrainingSpecs.Overrides(c.trainAnnotations, c.trainImages, c.valAnnotations, c.valImages,
                c.weights, new ImageSelection(trainIds[0], trainIds[1], c.trainLimit),
                new ImageSelection(valIds[0], valIds[1], c.valLimit));
        TrainingConfig config;
        try {
            Path base = c.specFile.toAbsolutePath().getParent();
            config = TrainingSpecs.resolve(spec, overrides, base);
        } catch (SpecException e) {
            int n = e.problems().size();
            throw new CliException(Main.ERROR, (n == 1 ? "the spec cannot be trained:\n" : n
                    + " problems with the spec's training fields:\n") + e.getMessage(), e);
        }
        config.notes().forEach(note -> err.println("note: " + note));
        if (!TrainingEngine.tcmallocPreloaded() && System.getenv("PEOPLESEG_TCMALLOC_CHECKED") == null) {
            err.println("note: tcmalloc is not preloaded (apt-get install libtcmalloc-minimal4; bin/peopleseg then "
                    + "preloads it): training runs ~30% slower");
        }
        err.flush();
        int threads = c.threads > 0 ? c.threads : Runtime.getRuntime().availableProcessors();
        try (InterruptGuard guard = InterruptGuard.install(err, INTERRUPT_GRACE_SECONDS)) {
            PackageEvaluator evaluator = config.data().hasValidation() ? new PackageEvaluator(config, threads, err) : null;
            var options = new Trainer.Options(c.output, c.resume, err, guard::stopRequested, evaluator,
                    new PackageWriter(config, c.output.resolve("model.onnx")));
            TrainingSummary summary;
            try {
                summary = new Trainer(config, new MaskRcnnModels(), options).run();
            } catch (TrainingException e) {
                writeReport(c.output, err);
                throw new CliException(Main.ERROR, e.getMessage(), e);
            }
            writeReport(c.output, err);
            // Printed before the guard is closed: on Ctrl-C the JVM halts (exit code 130, 128 + SIGINT) as soon as
            // the guard lets its shutdown hook return, so anything printed after that could be lost.
            return summarise(c, summary, out, err);
        }
    }

    private static int summarise(TrainCommand c, TrainingSummary summary, PrintWriter out, PrintWriter err) {
        out.printf(Locale.ROOT, "%s: %d/%d steps%s, %.2f s/step; checkpoint %s%n", c.output, summary.stepsDone(),
                summary.totalSteps(), summary.interrupted() ? " (interrupted: --resume continues)" : "",
                summary.secondsPerStep(), summary.checkpoint());
        if (!summary.lastEval().isEmpty()) {
            StringBuilder line = new StringBuilder("last evaluation:");
            summary.lastEval().forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
            out.println(line);
        }
        if (summary.model() != null) {
            out.println("model: " + summary.model());
        }
        out.println("report: " + c.output.resolve("report.html"));
        if (summary.skippedImages() > 0) {
            out.println(summary.skippedImages() + " training image" + (summary.skippedImages() == 1 ? " was" : "s were")
                    + " skipped (unreadable): " + String.join("; ", summary.failures()));
        }
        out.flush();
        if (summary.interrupted()) {
            err.println(summary.checkpoint() == null
                    ? "Interrupted before the first step: nothing to resume; run the same command again"
                    : "Interrupted at step " + summary.stepsDone() + " of " + summary.totalSteps() + ": checkpoint "
                            + summary.checkpoint() + " is complete; continue with the same command and --resume");
            err.flush();
        }
        return summary.skippedImages() > 0 ? Main.INPUTS_FAILED : Main.OK;
    }

    private static void writeReport(Path runDir, PrintWriter err) {
        try {
            TrainingReport.write(runDir);
        } catch (IOException | RuntimeException | LinkageError e) {
            err.println("could not write " + runDir.resolve("report.html") + ": " + e);
        }
    }
}
