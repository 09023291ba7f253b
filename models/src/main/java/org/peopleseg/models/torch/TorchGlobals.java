package org.peopleseg.models.torch;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complete allow-list of Python globals a checkpoint may name, with a Java implementation of each.
 *
 * <p>These are exactly the names {@code torch.save} writes for a state_dict of dense tensors:
 * {@code collections.OrderedDict} (the state_dict itself and tensors' empty {@code backward_hooks}), the
 * tensor and parameter rebuild functions of {@code torch._utils}, and the legacy storage classes of module
 * {@code torch}, which name a storage's dtype in its persistent id and are never called. Everything else,
 * including other {@code torch} functions (sparse, quantised and subclass rebuilds, {@code torch.device}),
 * is refused, so what a file can make this reader do is bounded by the code in this class.
 */
final class TorchGlobals implements SafeUnpickler.Globals {
    private final String source;

    /** @param source names the file in error messages */
    TorchGlobals(String source) {
        this.source = source;
    }

    @Override
    public Object resolve(String module, String name) {
        switch (module + " " + name) {
            case "collections OrderedDict":
                return (SafeUnpickler.PyCallable) this::orderedDict;
            case "torch._utils _rebuild_tensor_v2":
                return (SafeUnpickler.PyCallable) args -> rebuildTensor(args, 6, 7, "_rebuild_tensor_v2");
            case "torch._utils _rebuild_tensor":
                return (SafeUnpickler.PyCallable) args -> rebuildTensor(args, 4, 4, "_rebuild_tensor");
            case "torch._utils _rebuild_parameter":
                return (SafeUnpickler.PyCallable) args -> rebuildParameter(args, 3, "_rebuild_parameter");
            case "torch._utils _rebuild_parameter_with_state":
                return (SafeUnpickler.PyCallable) args -> rebuildParameter(args, 4, "_rebuild_parameter_with_state");
            default:
                break;
        }
        if (module.equals("torch")) {
            return TorchDtype.forStorageClass(name).orElse(null);
        }
        return null;
    }

    /** {@code OrderedDict()} or {@code OrderedDict([(key, value), ...])}. */
    private Object orderedDict(List<Object> args) throws IOException {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.isEmpty()) {
            return dict;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (!(pair instanceof SafeUnpickler.Tuple t) || t.size() != 2
                        || !(t.get(0) instanceof String || t.get(0) instanceof Long)) {
                    throw corrupt("OrderedDict items must be (str, value) pairs");
                }
                dict.put(t.get(0), t.get(1));
            }
            return dict;
        }
        throw corrupt("OrderedDict called with " + args.size() + " unexpected arguments");
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[,
     * metadata])} and the older {@code _rebuild_tensor(storage, storage_offset, size, stride)}. Gradient
     * flags, hooks and metadata do not affect the values and are ignored.
     */
    private Object rebuildTensor(List<Object> args, int minArgs, int maxArgs, String function) throws IOException {
        if (args.size() < minArgs || args.size() > maxArgs) {
            throw corrupt(function + " called with " + args.size() + " arguments");
        }
        if (!(args.get(0) instanceof TorchStorage storage)) {
            throw corrupt(function + " needs a storage, got " + SafeUnpickler.describe(args.get(0)));
        }
        long offset = asLong(args.get(1), function + " storage_offset");
        long[] shape = asLongs(args.get(2), function + " size");
        long[] strides = asLongs(args.get(3), function + " stride");
        try {
            return new TorchTensor(storage, offset, shape, strides);
        } catch (IllegalArgumentException e) {
            throw corrupt("tensor over storage '" + storage.blob().key() + "': " + e.getMessage());
        }
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: a Parameter is its data. */
    private Object rebuildParameter(List<Object> args, int arity, String function) throws IOException {
        if (args.size() != arity || !(args.get(0) instanceof TorchTensor tensor)) {
            throw corrupt(function + " needs a tensor and " + (arity - 1) + " more arguments");
        }
        return tensor;
    }

    private long asLong(Object value, String what) throws IOException {
        if (value instanceof Long l) {
            return l;
        }
        throw corrupt(what + " is " + SafeUnpickler.describe(value) + ", not an int");
    }

    private long[] asLongs(Object value, String what) throws IOException {
        if (!(value instanceof SafeUnpickler.Tuple tuple)) {
            throw corrupt(what + " is " + SafeUnpickler.describe(value) + ", not a tuple");
        }
        long[] out = new long[tuple.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asLong(tuple.get(i), what);
        }
        return out;
    }

    private IOException corrupt(String what) {
        return new IOException("corrupt checkpoint " + source + ": " + what);
    }
}
