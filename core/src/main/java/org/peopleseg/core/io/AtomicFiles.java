package org.peopleseg.core.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new one, never a half-written file —
 * results, reports and model packages are read by other programs (and by people after a crash or Ctrl-C).
 *
 * <p>The data goes to a hidden temporary file in the target's directory (same file system, so the final rename is
 * atomic), is flushed to disk with {@code fsync}, then renamed over the target. If anything fails, the temporary
 * file is deleted and the target is left untouched. Missing parent directories are created.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes {@code target} with whatever {@code writer} puts in the stream. The writer may close the stream; it does
     * not need to flush it.
     */
    public static void write(Path target, IOConsumer<? super OutputStream> writer) throws IOException {
        try (Pending pending = open(target)) {
            writer.accept(pending.stream());
            pending.commit();
        }
    }

    /** Writes {@code text} as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Starts writing {@code target} for callers that produce the content over time (a results file appended to per
     * image): write to {@link Pending#stream()}, then {@link Pending#commit()}; closing without committing discards
     * everything. Use with try-with-resources so a failure never leaves the temporary file behind.
     */
    public static Pending open(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IOException(target + ": not a file path");
        }
        Files.createDirectories(dir);
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                // CREATE_NEW with default permissions (umask), unlike Files.createTempFile's owner-only 0600
                FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new Pending(abs, tmp, channel);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates an empty scratch file {@code .NAME.DIGITS.tmp} in {@code dir} — the name this class gives its own
     * temporaries, so a file left by a kill -9 is recognisably a temporary, never a half-written output. The caller
     * deletes it.
     */
    public static Path createScratch(Path dir, String name) throws IOException {
        return Files.createTempFile(dir, "." + name + ".", ".tmp");
    }

    /** A file being written; not thread-safe. */
    public static final class Pending implements Closeable {
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream buffered;
        private final OutputStream stream;
        private boolean committed;
        private boolean closed;

        private Pending(Path target, Path tmp, FileChannel channel) {
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
            this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.stream = new FilterOutputStream(buffered) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len); // FilterOutputStream would write byte by byte
                }

                @Override
                public void close() throws IOException {
                    flush(); // the channel stays open until commit, which must still fsync it
                }
            };
        }

        /** The temporary file's stream; closing it is allowed and does not commit. */
        public OutputStream stream() {
            if (closed) {
                throw new IllegalStateException("already " + (committed ? "committed" : "discarded") + ": " + target);
            }
            return stream;
        }

        /** The file the content will replace. */
        public Path target() {
            return target;
        }

        /** Flushes, syncs to disk and renames the temporary file over the target. */
        public void commit() throws IOException {
            if (closed) {
                throw new IllegalStateException("already " + (committed ? "committed" : "discarded") + ": " + target);
            }
            buffered.flush();
            channel.force(true);
            channel.close();
            moveIntoPlace(tmp, target);
            committed = true;
            closed = true;
        }

        /** Discards the content unless {@link #commit()} succeeded. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Publishes a finished file that another writer produced under a temporary name in the target's directory (an
     * encoder that must own its output file): syncs it to disk, then renames it over {@code target}.
     */
    public static void publish(Path tmp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        moveIntoPlace(tmp, target);
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // a file system without atomic rename: still better than writing the target in place
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes the rename itself durable; not possible on every platform (Windows), where it is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the data itself is already on disk
        }
    }
}
