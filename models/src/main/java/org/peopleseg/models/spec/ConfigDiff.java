package org.peopleseg.models.spec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * Where two configs differ, by path ({@code anchors.centerOffset: 0.5 vs 0.0}). {@link MaskRcnnConfig} holds arrays,
 * and a record's {@code equals} compares arrays by identity, so two equal models would not be {@code equals}; this
 * compares by value, down through records, lists and arrays. Used to prove that a spec written by
 * {@link SpecWriter} reads back as the same model, and to show a user what a spec changes against a preset.
 */
public final class ConfigDiff {

    private ConfigDiff() {}

    /** The differing leaves, empty when the configs describe the same model. */
    public static List<String> differences(MaskRcnnConfig a, MaskRcnnConfig b) {
        List<String> out = new ArrayList<>();
        compare("", a, b, out);
        return out;
    }

    private static void compare(String path, Object a, Object b, List<String> out) {
        if (a == b) {
            return;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            out.add(name(path) + ": " + show(a) + " vs " + show(b));
        } else if (a instanceof Record) {
            for (RecordComponent rc : a.getClass().getRecordComponents()) {
                compare(path.isEmpty() ? rc.getName() : path + "." + rc.getName(), get(rc, a), get(rc, b), out);
            }
        } else if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                out.add(name(path) + ": " + la.size() + " entries vs " + lb.size());
                return;
            }
            for (int i = 0; i < la.size(); i++) {
                compare(path + "[" + i + "]", la.get(i), lb.get(i), out);
            }
        } else if (a instanceof double[] da) {
            if (!Arrays.equals(da, (double[]) b)) {
                out.add(name(path) + ": " + Arrays.toString(da) + " vs " + Arrays.toString((double[]) b));
            }
        } else if (a instanceof int[] ia) {
            if (!Arrays.equals(ia, (int[]) b)) {
                out.add(name(path) + ": " + Arrays.toString(ia) + " vs " + Arrays.toString((int[]) b));
            }
        } else if (!a.equals(b)) {
            out.add(name(path) + ": " + show(a) + " vs " + show(b));
        }
    }

    private static Object get(RecordComponent rc, Object record) {
        try {
            return rc.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + rc.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }

    private static String name(String path) {
        return path.isEmpty() ? "config" : path;
    }

    private static String show(Object o) {
        if (o instanceof double[] d) {
            return Arrays.toString(d);
        }
        return String.valueOf(o);
    }
}
