package org.peopleseg.train.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The run folder's {@code checkpoints/}: one file per saved step, {@code step-00000100.ckpt}. A new checkpoint is
 * written completely (atomically) before older ones are removed, so at every moment at least one complete
 * checkpoint exists; {@link #latest()} takes the newest that reads back.
 */
public final class CheckpointStore {
    private final Path dir;

    public CheckpointStore(Path runDir) {
        this.dir = runDir.resolve("checkpoints");
    }

    public Path dir() {
        return dir;
    }

    public Path fileFor(long step) {
        return dir.resolve(String.format(Locale.ROOT, "step-%08d.ckpt", step));
    }

    /**
     * Writes the checkpoint of {@code state.step()}, then removes the older ones.
     *
     * @throws IOException with the file named and the previous checkpoint intact (disk full, permissions)
     */
    public Path save(TrainingState state) throws IOException {
        Path file = fileFor(state.step());
        try {
            CheckpointFormat.write(file, state);
        } catch (IOException e) {
            String previous = list().stream().filter(p -> !p.equals(file)).reduce((a, b) -> b)
                    .map(p -> "; the previous checkpoint " + p + " is intact").orElse("");
            throw new IOException("could not write checkpoint " + file + ": " + e.getMessage() + previous, e);
        }
        for (Path old : list()) {
            if (!old.equals(file)) {
                Files.deleteIfExists(old);
            }
        }
        return file;
    }

    /** The newest checkpoint that reads back, if any. */
    public Optional<TrainingState> latest() throws IOException {
        List<Path> files = list();
        IOException last = null;
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(CheckpointFormat.read(files.get(i)));
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return Optional.empty();
    }

    /** Checkpoint files, oldest first (the file names sort by step). */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("step-\\d{8}\\.ckpt")).sorted().forEach(out::add);
        }
        return out;
    }
}
