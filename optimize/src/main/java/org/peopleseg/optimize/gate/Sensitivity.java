package org.peopleseg.optimize.gate;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.optimize.calib.ExposedRun;
import org.peopleseg.optimize.graph.ActivationQuant;

/**
 * Per-layer sensitivity, measured on the validation images while the FP32 model runs: for every quantised
 * activation, the error that quantising <em>that value alone</em> with its calibrated range would cause —
 * signal-to-quantisation-noise ratio {@code 10 log10(sum x^2 / sum (x - dq(q(x)))^2)} and the share of values
 * clipped by the range. One layer at a time, in one FP32 pass: the lowest SQNR names the layers that cost most.
 */
public final class Sensitivity implements ExposedRun.Sink {
    /** One row: a value, the layers reading or writing it, and its error. */
    public record Row(String value, String layers, ActivationQuant quant, double observedMin, double observedMax,
            double sqnrDb, double clippedShare) {
    }

    private static final class Acc {
        double signal;
        double noise;
        long clipped;
        long count;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
    }

    private final Map<String, ActivationQuant> ranges;
    private final Map<String, String> layersOf;
    private final Map<String, Acc> acc = new LinkedHashMap<>();

    /** @param layersOf for each value, the names of the layers it belongs to (for the table) */
    public Sensitivity(Map<String, ActivationQuant> ranges, Map<String, String> layersOf) {
        this.ranges = ranges;
        this.layersOf = layersOf;
    }

    @Override
    public void accept(String value, FloatBuffer values) {
        ActivationQuant q = ranges.get(value);
        if (q == null) {
            return;
        }
        Acc a = acc.computeIfAbsent(value, k -> new Acc());
        float lo = (0 - q.zeroPoint()) * q.scale();
        float hi = (255 - q.zeroPoint()) * q.scale();
        int n = values.remaining();
        for (int i = 0; i < n; i++) {
            float x = values.get(values.position() + i);
            float d = x - q.fakeQuant(x);
            a.signal += (double) x * x;
            a.noise += (double) d * d;
            if (x < lo || x > hi) {
                a.clipped++;
            }
            a.min = Math.min(a.min, x);
            a.max = Math.max(a.max, x);
        }
        a.count += n;
    }

    /** Worst first. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        acc.forEach((v, a) -> rows.add(new Row(v, layersOf.getOrDefault(v, ""), ranges.get(v), a.min, a.max,
                a.noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(Math.max(a.signal, 1e-30) / a.noise),
                a.count == 0 ? 0 : (double) a.clipped / a.count)));
        rows.sort(Comparator.comparingDouble(Row::sqnrDb));
        return rows;
    }

    /** The table, worst {@code limit} rows. */
    public static String table(List<Row> rows, int limit) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-4s %8s %9s  %-23s %-23s %s%n", "rank", "SQNR dB", "clipped",
                "int8 range", "validation range", "value (layers)"));
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            Row r = rows.get(i);
            float lo = -r.quant().zeroPoint() * r.quant().scale();
            float hi = (255 - r.quant().zeroPoint()) * r.quant().scale();
            b.append(String.format(Locale.ROOT, "%-4d %8.1f %8.2f%%  %-23s %-23s %s (%s)%n", i + 1, r.sqnrDb(),
                    100 * r.clippedShare(), String.format(Locale.ROOT, "[%.4g, %.4g]", lo, hi),
                    String.format(Locale.ROOT, "[%.4g, %.4g]", r.observedMin(), r.observedMax()), r.value(),
                    r.layers()));
        }
        return b.toString();
    }
}
