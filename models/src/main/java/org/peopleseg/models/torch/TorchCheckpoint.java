package org.peopleseg.models.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A PyTorch checkpoint written by {@code torch.save}, read safely: without Python, and without the
 * arbitrary code execution that {@code torch.load} (unpickling) allows. The pickle is interpreted by a
 * small allow-listed interpreter that only builds dicts, lists, scalars and dense tensors; a file naming
 * anything else (for example {@code os.system}) is refused with an {@link UnsafeCheckpointException}.
 *
 * <p>Both formats are read: the zip format of PyTorch 1.6 and later, and the older legacy format that
 * many published weights still use ({@code _use_new_zipfile_serialization=False}). Supported are dense
 * tensors of the dtypes of {@link TorchDtype}, at most 2 GB per storage (and per file in the legacy
 * format); sparse, quantised and complex tensors, tensor subclasses and TorchScript archives are refused
 * with a message saying so.
 *
 * <pre>{@code
 * Map<String, TorchTensor> weights = TorchCheckpoint.readStateDict(Path.of("maskrcnn.pth"));
 * float[] conv1 = weights.get("backbone.body.conv1.weight").toFloats();
 * }</pre>
 *
 * <p>{@link #root()} is the whole pickled object; {@link #stateDict()} and {@link #stateDict(String...)}
 * extract the tensors, flattening nested dicts into dotted names the way {@code nn.Module.state_dict()}
 * names them.
 */
public final class TorchCheckpoint {
    /** Deeper dict nesting than this is refused (it also stops a self-containing dict). */
    private static final int MAX_NESTING = 64;
    /** Upper bound on dict entries visited while flattening. */
    private static final long MAX_VISITS = 1_000_000;

    private final Path file;
    private final Object root;

    private TorchCheckpoint(Path file, Object root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Reads a checkpoint. All tensor data is held in memory afterwards (about the file's size); the file is
     * closed when this returns.
     *
     * @throws UnsafeCheckpointException if the file names a Python global or opcode outside the allow-list
     * @throws IOException if the file is missing, truncated, corrupt or not a {@code torch.save} file; the
     *     message names the file and what is wrong
     */
    public static TorchCheckpoint read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such checkpoint file");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        Object root;
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            root = ZipCheckpointReader.read(file);
        } else if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] == 2) {
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new IOException("cannot read " + file + ": legacy-format checkpoints over 2 GB are not supported");
            }
            root = LegacyCheckpointReader.read(file, Files.readAllBytes(file));
        } else {
            throw new IOException("cannot read " + file + ": not a PyTorch checkpoint ("
                    + (n == 0 ? "the file is empty" : "neither a torch.save zip archive nor a legacy pickle") + ")");
        }
        return new TorchCheckpoint(file, root);
    }

    /** Shorthand for {@code read(file).stateDict()}. */
    public static Map<String, TorchTensor> readStateDict(Path file) throws IOException {
        return read(file).stateDict();
    }

    /** The file this checkpoint was read from. */
    public Path file() {
        return file;
    }

    /**
     * The whole pickled object, as built by the interpreter: str → {@code String}, int → {@code Long} (or
     * {@code BigInteger}), float → {@code Double}, bool → {@code Boolean}, None → {@code null}, bytes →
     * {@code byte[]}, list and tuple → {@code List}, dict and OrderedDict → {@code Map} in insertion order,
     * tensor and Parameter → {@link TorchTensor}. It is the live graph this object reads from: treat it as
     * read-only.
     */
    public Object root() {
        return root;
    }

    /**
     * The model weights: the tensors of the state_dict, in the order they were saved, with nested dicts
     * flattened into dotted names. The state_dict is found this way:
     *
     * <ol>
     *   <li>if the top-level object is a dict holding tensors directly (what
     *       {@code torch.save(model.state_dict())} writes), it is the state_dict;
     *   <li>otherwise, if exactly one top-level entry is a dict containing tensors (for example
     *       {@code {"model": state_dict, "epoch": 12}}), that entry is, and its key is not part of the names.
     * </ol>
     *
     * Anything else is ambiguous (say a model and an optimizer state): use {@link #stateDict(String...)}.
     * Non-tensor values inside the state_dict (hyper-parameters, {@code _extra_state}) are left out.
     *
     * @throws IOException if no state_dict can be identified; the message lists the top-level keys
     */
    public Map<String, TorchTensor> stateDict() throws IOException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException("no state_dict in " + file + ": the saved object is "
                    + SafeUnpickler.describe(root) + ", not a dict");
        }
        if (top.values().stream().anyMatch(v -> v instanceof TorchTensor)) {
            return flatten(top, new ArrayList<>());
        }
        List<Object> candidates = new ArrayList<>();
        for (Map.Entry<?, ?> entry : top.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> nested
                    && containsTensor(nested, Collections.newSetFromMap(new IdentityHashMap<>()), 0)) {
                candidates.add(entry.getKey());
            }
        }
        if (candidates.size() == 1) {
            return flatten((Map<?, ?>) top.get(candidates.get(0)), new ArrayList<>());
        }
        throw new IOException("no single state_dict in " + file + ": "
                + (candidates.isEmpty() ? "it holds no tensors" : "dicts of tensors under " + candidates)
                + "; top-level keys are " + keysOf(top) + "; pick one with stateDict(key...)");
    }

    /**
     * The tensors under the nested dict reached from the top-level object by {@code path} (e.g.
     * {@code stateDict("model")}, or {@code stateDict("state", "ema")}), flattened as in {@link #stateDict()}
     * and named relative to that dict.
     *
     * @throws IOException if a key is missing or does not lead to a dict
     */
    public Map<String, TorchTensor> stateDict(String... path) throws IOException {
        Object node = root;
        List<String> walked = new ArrayList<>();
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new IOException("no dict at " + describePath(walked, key) + " in " + file
                        + (node instanceof Map<?, ?> map ? "; keys there are " + keysOf(map) : ""));
            }
            node = map.get(key);
            walked.add(key);
        }
        if (!(node instanceof Map<?, ?> dict)) {
            throw new IOException("no dict at " + describePath(walked, null) + " in " + file + ": it is "
                    + SafeUnpickler.describe(node));
        }
        return flatten(dict, walked);
    }

    private static String describePath(List<String> walked, String next) {
        List<String> all = new ArrayList<>(walked);
        if (next != null) {
            all.add(next);
        }
        return all.isEmpty() ? "the top level" : "key path " + all;
    }

    private Map<String, TorchTensor> flatten(Map<?, ?> dict, List<String> where) throws IOException {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        new Flattener(where).flattenInto(dict, "", out, 0);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Walks nested dicts. A pickle can share one dict under many keys (the memo makes that cheap), so the
     * walk refuses cycles and stops after {@link #MAX_VISITS} entries instead of expanding a crafted
     * file exponentially.
     */
    private final class Flattener {
        private final List<String> where;
        private final Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        private long visits;

        Flattener(List<String> where) {
            this.where = where;
        }

        void flattenInto(Map<?, ?> dict, String prefix, Map<String, TorchTensor> out, int depth) throws IOException {
            if (depth > MAX_NESTING || !onPath.add(dict)) {
                throw new IOException("dicts in " + file + " are nested more than " + MAX_NESTING
                        + " deep or contain themselves (at '" + prefix + "')");
            }
            for (Map.Entry<?, ?> entry : dict.entrySet()) {
                if (++visits > MAX_VISITS) {
                    throw new IOException("more than " + MAX_VISITS + " dict entries to flatten in " + file);
                }
                String name = prefix + entry.getKey();
                if (entry.getValue() instanceof TorchTensor tensor) {
                    if (out.putIfAbsent(name, tensor) != null) {
                        throw new IOException("two tensors are named '" + name + "' after flattening "
                                + (where.isEmpty() ? "the top-level dict" : "key path " + where) + " of " + file);
                    }
                } else if (entry.getValue() instanceof Map<?, ?> nested) {
                    flattenInto(nested, name + ".", out, depth + 1);
                }
            }
            onPath.remove(dict);
        }
    }

    /** Whether a tensor is reachable through nested dicts (within the nesting limit); each dict is looked at once. */
    private static boolean containsTensor(Map<?, ?> dict, Set<Object> seen, int depth) {
        if (depth > MAX_NESTING || !seen.add(dict) || seen.size() > MAX_VISITS) {
            return false;
        }
        for (Object value : dict.values()) {
            if (value instanceof TorchTensor || value instanceof Map<?, ?> m && containsTensor(m, seen, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Keys for an error message, at most 20. */
    private static String keysOf(Map<?, ?> map) {
        List<Object> keys = new ArrayList<>();
        for (Object key : map.keySet()) {
            if (keys.size() == 20) {
                return keys + " and " + (map.size() - 20) + " more";
            }
            keys.add(key);
        }
        return keys.toString();
    }

    @Override
    public String toString() {
        return "TorchCheckpoint[" + file + "]";
    }
}
