package org.peopleseg.train.yolo.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.train.checkpoint.CheckpointStore;

/**
 * A YOLO fine-tuning run's {@code checkpoints/}: which checkpoint {@code --resume} continues from, and the rule
 * that a resume must be the same run (start package, data, settings and seed), so it continues exactly.
 */
final class RunCheckpoints {
    private final Path output;
    private final CheckpointStore store;
    private final String settingsSha256;
    private final long seed;

    private RunCheckpoints(Path output, String settingsSha256, long seed) {
        this.output = output;
        this.store = new CheckpointStore(output);
        this.settingsSha256 = settingsSha256;
        this.seed = seed;
    }

    static RunCheckpoints of(FineTuneSettings s) throws IOException {
        return new RunCheckpoints(s.output(), settingsSha256(s), s.seed());
    }

    /** What the run's updates depend on: a resume with other settings would not continue the same run. */
    private static String settingsSha256(FineTuneSettings s) throws IOException {
        return Sha256.hex(String.join("\n", Sha256.hex(s.model()), Sha256.hex(s.annotations()),
                s.idModulus() + ":" + s.idRemainder(), Integer.toString(s.epochs()), s.freeze(),
                s.hyper().toString(), s.augmentation().toString()));
    }

    String settingsSha256() {
        return settingsSha256;
    }

    Path fileFor(long step) {
        return store.fileFor(step);
    }

    boolean isEmpty() throws IOException {
        return store.list().isEmpty();
    }

    /**
     * @return the newest checkpoint, or null (said on {@code log}) when there is none
     * @throws IllegalArgumentException a checkpoint of another run (settings or seed) or of an older peopleseg
     */
    Checkpoint latest(PrintStream log) throws IOException {
        List<Path> files = store.list();
        if (files.isEmpty()) {
            if (Files.exists(output.resolve("last.ckpt"))) {
                throw new IllegalArgumentException(output.resolve("last.ckpt") + ": a checkpoint of an older "
                        + "peopleseg (before checkpoints/step-N.ckpt); start the run again");
            }
            log.printf("peopleseg train: %s: no checkpoint to resume from; starting afresh%n", store.dir());
            return null;
        }
        Checkpoint c = Checkpoint.read(files.get(files.size() - 1));
        if (!c.settingsSha256().equals(settingsSha256)) {
            throw new IllegalArgumentException("cannot resume " + files.get(files.size() - 1) + ": the start "
                    + "package, data or settings differ from those the run started with");
        }
        if (c.seed() != seed) {
            throw new IllegalArgumentException("cannot resume: the checkpoint's seed is " + c.seed() + ", --seed "
                    + seed);
        }
        return c;
    }

    /** Removes the checkpoints older than {@code keep} (after it is complete: one always exists). */
    void keepOnly(Path keep) throws IOException {
        for (Path old : store.list()) {
            if (!old.equals(keep)) {
                Files.deleteIfExists(old);
            }
        }
    }
}
