package org.peopleseg.models.maskrcnn;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Untrained weights made by a formula, identical bit for bit to tools/fixtures/maskrcnn/deterministic_weights.py.
 * They exist for two reasons: parity tests against torchvision (the same numbers go into both implementations) and
 * the first-run demo, since no trained Mask R-CNN weights can be downloaded here.
 *
 * <p>Per tensor, the name is hashed (FNV-1a 64) into a seed; element i gets splitmix64's finaliser of
 * seed + (i+1) * golden ratio, and u = top 24 bits / 2^24 is exact in binary, so Java and numpy agree exactly.
 * Gains keep activations sane through 50 layers (last batch norm of each residual branch damped to 0.2) and make
 * the classifiers' logits well spread, so rankings have no near-ties.
 */
public final class DeterministicWeights {
    private static final List<Map.Entry<Pattern, Double>> GAINS = List.of(
            Map.entry(Pattern.compile("^backbone\\.fpn\\."), 1.0),
            Map.entry(Pattern.compile("^rpn\\.head\\.cls_logits\\.weight$"), 1.0),
            Map.entry(Pattern.compile("^rpn\\.head\\.bbox_pred\\.weight$"), 0.1),
            Map.entry(Pattern.compile("box_predictor\\.cls_score\\.weight$"), 0.25),
            Map.entry(Pattern.compile("box_predictor\\.bbox_pred\\.weight$"), 0.1),
            Map.entry(Pattern.compile("mask_predictor\\.mask_fcn_logits\\.weight$"), 2.0));
    private static final Pattern BN = Pattern.compile("\\.(bn\\d|downsample\\.1)\\.");
    private static final Pattern LAST_BN = Pattern.compile("layer\\d\\.\\d+\\.bn3\\.");

    private DeterministicWeights() {}

    /** Every tensor the configuration needs, made by the formula. */
    public static Map<String, WeightTensor> forConfig(MaskRcnnConfig config) {
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        WeightLayout.expected(config).forEach((name, shape) -> out.put(name, new WeightTensor(shape, values(name, shape))));
        return out;
    }

    static float[] values(String name, long[] shape) {
        int n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, (int) d);
        }
        long seed = fnv1a64(name);
        float[] out = new float[n];
        if (name.endsWith("running_var")) {
            for (int i = 0; i < n; i++) out[i] = (float) (1.0 + 0.5 * uniform(seed, i));
        } else if (name.endsWith("running_mean")) {
            for (int i = 0; i < n; i++) out[i] = (float) (0.1 * (2.0 * uniform(seed, i) - 1.0));
        } else if (BN.matcher(name).find()) {
            if (name.endsWith(".weight")) {
                double g = LAST_BN.matcher(name).find() ? 0.2 : 1.0;
                for (int i = 0; i < n; i++) out[i] = (float) (g * (1.0 + 0.1 * (2.0 * uniform(seed, i) - 1.0)));
            } else {
                for (int i = 0; i < n; i++) out[i] = (float) (0.1 * (2.0 * uniform(seed, i) - 1.0));
            }
        } else if (name.endsWith("box_predictor.cls_score.bias")) {
            // Foreground classes start 2 logits down: at a 0.5 threshold an image gets a handful of detections
            // (as with a trained model) instead of 100, while 0.05 still keeps 100.
            for (int i = 0; i < n; i++) out[i] = (float) (0.01 * (2.0 * uniform(seed, i) - 1.0) - (i > 0 ? 2.0 : 0.0));
        } else if (shape.length == 1) {
            for (int i = 0; i < n; i++) out[i] = (float) (0.01 * (2.0 * uniform(seed, i) - 1.0));
        } else {
            long fanIn = 1;
            for (int d = 1; d < shape.length; d++) fanIn *= shape[d];
            double gain = Math.sqrt(2.0);
            for (Map.Entry<Pattern, Double> e : GAINS) {
                if (e.getKey().matcher(name).find()) {
                    gain = e.getValue();
                    break;
                }
            }
            double c = Math.sqrt(3.0) * gain / Math.sqrt((double) fanIn);
            for (int i = 0; i < n; i++) out[i] = (float) ((2.0 * uniform(seed, i) - 1.0) * c);
        }
        return out;
    }

    static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return h;
    }

    static double uniform(long seed, int i) {
        long x = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        x = x ^ (x >>> 31);
        return (x >>> 40) / (double) (1 << 24);
    }
}
