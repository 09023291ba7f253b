package org.peopleseg.optimize.gate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.peopleseg.optimize.graph.QuantLayer;

/**
 * Leave-one-out sensitivity: the whole model quantised except one layer kept in FP32 — exactly what
 * {@code --exclude LAYER} would write — gated like the full INT8 model. The layers whose exclusion recovers most of
 * the drop are the ones that cost most; unlike the per-value error of {@link Sensitivity}, this measures the gated
 * quantity itself, with every other layer's error present (errors interact: a layer whose own SQNR is fine can
 * still amplify what reaches it).
 *
 * <p>Each row costs one INT8 run over the validation images, so only the {@code limit} layers touching the
 * worst values of the per-value table are tried.
 */
public final class LeaveOneOut {
    /**
     * @param layer     the layer kept FP32
     * @param opType    Conv or Gemm
     * @param drop      the gated drop with that layer in FP32 (same definition as the gate's)
     * @param recovered the full INT8 model's drop minus {@code drop}: positive = excluding it helps
     * @param f1        agreement F1 of that model with FP32
     */
    public record Row(String layer, String opType, double drop, double recovered, double f1) {
    }

    /** The gate's measurement of one candidate model: its drop and agreement F1. */
    public record Measured(double drop, double f1) {
    }

    private LeaveOneOut() {}

    /**
     * The layers to try, worst first: the quantised layers named by the per-value rows in their order (a value
     * names the layers that read or write it), at most {@code limit}; 0 = every layer, in that order then graph
     * order.
     */
    public static List<QuantLayer> candidates(List<Sensitivity.Row> worstFirst, List<QuantLayer> layers, int limit) {
        Map<String, QuantLayer> byNode = new java.util.LinkedHashMap<>();
        for (QuantLayer l : layers) {
            byNode.put(l.node(), l);
        }
        Set<QuantLayer> out = new LinkedHashSet<>();
        for (Sensitivity.Row r : worstFirst) {
            for (String name : r.layers().split(", ")) {
                QuantLayer l = byNode.get(name);
                if (l != null) {
                    out.add(l);
                }
            }
        }
        out.addAll(layers);
        List<QuantLayer> list = new ArrayList<>(out);
        return limit <= 0 ? list : list.subList(0, Math.min(limit, list.size()));
    }

    /**
     * Measures every candidate with {@code measure} (the gate on the model with that one layer in FP32) and sorts
     * the rows by the drop left, lowest (most recovered) first.
     */
    public static List<Row> run(List<QuantLayer> candidates, double fullDrop, Function<QuantLayer, Measured> measure) {
        List<Row> rows = new ArrayList<>();
        for (QuantLayer l : candidates) {
            Measured m = measure.apply(l);
            rows.add(new Row(l.node(), l.opType(), m.drop(), fullDrop - m.drop(), m.f1()));
        }
        rows.sort(Comparator.comparingDouble(Row::drop).thenComparing(Row::layer));
        return rows;
    }

    /** The table: rank, drop with the layer in FP32, recovered points, agreement F1, layer. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-4s %8s %10s %8s  %s%n", "rank", "drop", "recovered", "F1",
                "layer kept FP32 (--exclude NAME)"));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append(String.format(Locale.ROOT, "%-4d %8.2f %+10.2f %8.4f  %s (%s)%n", i + 1, r.drop(), r.recovered(),
                    r.f1(), r.layer(), r.opType()));
        }
        return b.toString();
    }
}
