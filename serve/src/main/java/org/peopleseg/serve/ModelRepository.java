package org.peopleseg.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.peopleseg.core.text.EditDistance;

/**
 * The model repository: a folder of model packages, each served under its file name without {@code .onnx}
 * (Triton's model repository, one version "1" per model).
 *
 * <p>{@link #poll} loads new and changed packages and unloads removed ones (Triton's poll mode); {@link #load} and
 * {@link #unload} do it for one name (Triton's repository extension). A new version is opened before the old one is
 * retired, and a request in flight keeps the model it started on, so no request fails across a reload. A package
 * that fails to load is reported and the old version (if any) stays. A model unloaded by request stays unloaded under
 * polling until its file changes or a load asks for it.
 *
 * <p>Names come from requests, so they are validated: letters, digits, '_', '-', '.', not starting with '.', at most
 * 64 characters. No path is ever taken from a request; the file is always {@code DIR/NAME.onnx}.
 */
final class ModelRepository implements AutoCloseable {
    static final String VERSION = "1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final String SUFFIX = ".onnx";

    /** One repository entry as the index reports it. */
    record Entry(String name, String state, String reason) {}

    private final Path dir;
    private final ServeOptions options;
    private final PrintWriter log;
    private final Map<String, ServedModel> loaded = new ConcurrentHashMap<>();
    /** Files that failed to load, so a poll does not retry the same broken file every time. */
    private final Map<String, Failure> failed = new ConcurrentHashMap<>();

    /** Packages unloaded by request: the poller leaves them unloaded until their file changes or a load asks. */
    private final Map<String, FileStamp> unloaded = new ConcurrentHashMap<>();

    private record Failure(FileStamp stamp, String reason) {}

    ModelRepository(ServeOptions options, PrintWriter log) throws IOException {
        this.dir = options.modelsDir().toAbsolutePath().normalize();
        this.options = options;
        this.log = log;
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such model repository directory");
        }
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The file a valid name stands for. */
    private Path fileOf(String name) {
        return dir.resolve(name + SUFFIX);
    }

    /** The loaded model, or a 404 that says which models there are. */
    ServedModel get(String name) throws ServeException {
        if (!validName(name)) {
            throw ServeException.badRequest("invalid model name '" + clip(name) + "': use letters, digits, '_', '-', '.'");
        }
        ServedModel m = loaded.get(name);
        if (m == null) {
            String hint = loaded.keySet().stream().filter(c -> EditDistance.levenshtein(c, name) <= 2).findFirst()
                    .map(c -> " (did you mean '" + c + "'?)").orElse("");
            throw ServeException.notFound("unknown model '" + name + "'" + hint + "; loaded: "
                    + (loaded.isEmpty() ? "none" : String.join(", ", new TreeMap<>(loaded).keySet())));
        }
        return m;
    }

    /** Holds the model for one request; close the lease when done. */
    Lease acquire(String name) throws ServeException {
        for (int i = 0; i < 100; i++) {
            ServedModel m = get(name);
            if (m.enter()) {
                return new Lease(m);
            }
            Thread.onSpinWait(); // retired between the look-up and enter(): its replacement is in the map already
        }
        throw ServeException.notFound("model '" + name + "' is being unloaded");
    }

    /** A reference to a model held by one request. */
    static final class Lease implements AutoCloseable {
        private final ServedModel model;
        private boolean closed;

        private Lease(ServedModel model) {
            this.model = model;
        }

        ServedModel model() {
            return model;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                model.leave();
            }
        }
    }

    boolean isReady(String name) {
        return validName(name) && loaded.containsKey(name);
    }

    List<ServedModel> models() {
        return List.copyOf(new TreeMap<>(loaded).values());
    }

    /** Every package in the folder and every loaded model, with its state (Triton's repository index). */
    List<Entry> index() throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        for (Map.Entry<String, Path> f : packageFiles().entrySet()) {
            Failure fail = failed.get(f.getKey());
            out.put(f.getKey(), new Entry(f.getKey(), "UNAVAILABLE",
                    fail != null ? fail.reason() : "unloaded"));
        }
        loaded.keySet().forEach(n -> out.put(n, new Entry(n, "READY", "")));
        return List.copyOf(out.values());
    }

    /** Loads (or reloads) one package by name. */
    synchronized void load(String name) throws ServeException {
        if (!validName(name)) {
            throw ServeException.badRequest("invalid model name '" + clip(name) + "'");
        }
        Path file = fileOf(name);
        if (!Files.isRegularFile(file)) {
            throw ServeException.notFound("no package '" + name + SUFFIX + "' in the model repository");
        }
        try {
            swapIn(name, ServedModel.open(name, file, options));
            failed.remove(name);
            unloaded.remove(name);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            rememberFailure(name, file, reason);
            throw new ServeException(400, "failed to load model '" + name + "': " + reason, e);
        }
    }

    /** Unloads one model; requests in flight on it finish first. */
    synchronized void unload(String name) throws ServeException {
        if (!validName(name)) {
            throw ServeException.badRequest("invalid model name '" + clip(name) + "'");
        }
        ServedModel old = loaded.remove(name);
        if (old == null) {
            throw ServeException.notFound("model '" + name + "' is not loaded");
        }
        old.retire();
        unloaded.put(name, old.stamp());
        log.println("unloaded model " + name);
        log.flush();
    }

    /**
     * Brings the loaded set in line with the folder: loads new packages, reloads changed ones, unloads removed ones.
     * A package that fails is reported once per version of the file and does not stop the others.
     */
    synchronized void poll() {
        Map<String, Path> files;
        try {
            files = packageFiles();
        } catch (IOException e) {
            log.println("model repository " + dir + ": " + e.getMessage());
            log.flush();
            return;
        }
        for (String name : new ArrayList<>(loaded.keySet())) {
            if (!files.containsKey(name)) {
                ServedModel old = loaded.remove(name);
                if (old != null) {
                    old.retire();
                    log.println("unloaded model " + name + " (its package was removed)");
                }
            }
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            String name = f.getKey();
            FileStamp stamp;
            try {
                stamp = FileStamp.of(f.getValue());
            } catch (IOException e) {
                continue; // removed while we looked: the next poll sees it
            }
            ServedModel current = loaded.get(name);
            Failure fail = failed.get(name);
            if (stamp.equals(unloaded.get(name))) {
                continue;
            }
            unloaded.remove(name);
            if ((current != null && current.stamp().equals(stamp)) || (fail != null && fail.stamp().equals(stamp))) {
                continue;
            }
            try {
                swapIn(name, ServedModel.open(name, f.getValue(), options));
                failed.remove(name);
            } catch (IOException | RuntimeException e) {
                rememberFailure(name, f.getValue(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        log.flush();
    }

    private void swapIn(String name, ServedModel fresh) {
        ServedModel old = loaded.put(name, fresh);
        var meta = fresh.metadata();
        log.printf("%s model %s: %s %s, input %dx%d, %s, queue %d%n", old == null ? "loaded" : "reloaded", name,
                meta.architecture(), meta.precision(), meta.inputWidth(), meta.inputHeight(),
                Concurrency.of(fresh.instances(), options.threads()).describe(), options.maxQueue());
        log.flush();
        if (old != null) {
            old.retire();
        }
    }

    private void rememberFailure(String name, Path file, String reason) {
        FileStamp stamp;
        try {
            stamp = FileStamp.of(file);
        } catch (IOException e) {
            stamp = new FileStamp(-1, -1);
        }
        failed.put(name, new Failure(stamp, reason));
        log.println("model " + name + " not loaded: " + reason);
        log.flush();
    }

    /** NAME -> file for every {@code NAME.onnx} with a valid name (others are skipped with a message once). */
    private Map<String, Path> packageFiles() throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : s) {
                String file = p.getFileName().toString();
                String name = file.substring(0, file.length() - SUFFIX.length());
                if (validName(name) && Files.isRegularFile(p)) {
                    out.put(name, p);
                }
            }
        }
        return out;
    }

    static String clip(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return CONTROL.matcher(t).replaceAll("?"); // every access-log line clips its path: compiled once
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(ServedModel::retire);
        loaded.clear();
    }
}
