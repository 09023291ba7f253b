package org.peopleseg.models.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoublePredicate;
import org.peopleseg.models.spec.TupleParser.Node;
import org.peopleseg.models.spec.TupleParser.Num;
import org.peopleseg.models.spec.TupleParser.Seq;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.Experiment;
import org.peopleseg.models.spec.proto.MaskRCNNConfig;
import org.peopleseg.models.spec.proto.PeoplesegConfig;

/**
 * Reads the string-typed tuple fields of a spec into numbers, checking each against the shape it must have
 * ("(height, width)", a list of (w, h) pairs, four weights). Every problem is reported at the character where the
 * string goes wrong, so a user sees the column of the missing comma rather than "invalid spec".
 */
final class TupleFields {

    private static final DoublePredicate POSITIVE = v -> v > 0;
    private static final DoublePredicate ANY = v -> true;

    private final Problems problems;

    private TupleFields(Problems problems) {
        this.problems = problems;
    }

    /** Parses every tuple field; bad or missing required ones are reported and come back as null. */
    static TaoSpec.Tuples read(Experiment e, Problems problems) {
        TupleFields f = new TupleFields(problems);
        DataConfig d = e.getDataConfig();
        MaskRCNNConfig m = e.getMaskrcnnConfig();
        PeoplesegConfig p = e.getPeoplesegConfig();

        int[] hw = null;
        if (e.hasDataConfig()) {
            hw = f.imageSize(d.getImageSize());
        }
        List<double[]> aspects = null;
        double[] bboxWeights = null;
        int[] freeze = new int[0];
        if (e.hasMaskrcnnConfig()) {
            aspects = f.required("maskrcnn_config.aspect_ratios", m.getAspectRatios(), "\"[(1.0, 1.0), (1.4, 0.7), (0.7, 1.4)]\"")
                    .map(n -> f.pairs("maskrcnn_config.aspect_ratios", n)).orElse(null);
            bboxWeights = f.required("maskrcnn_config.bbox_reg_weights", m.getBboxRegWeights(), "\"(10., 10., 5., 5.)\"")
                    .map(n -> f.numbers("maskrcnn_config.bbox_reg_weights", n, 4, POSITIVE, "positive")).orElse(null);
            freeze = f.optional("maskrcnn_config.freeze_blocks", m.getFreezeBlocks())
                    .map(n -> f.integers("maskrcnn_config.freeze_blocks", n, 0, 3)).orElse(new int[0]);
        }
        double[] steps = f.optional("learning_rate_steps", e.getLearningRateSteps())
                .map(n -> f.numbers("learning_rate_steps", n, -1, v -> v >= 0, "non-negative")).orElse(new double[0]);
        double[] decay = f.optional("learning_rate_decay_levels", e.getLearningRateDecayLevels())
                .map(n -> f.numbers("learning_rate_decay_levels", n, -1, POSITIVE, "positive")).orElse(new double[0]);

        List<double[]> anchorSizes = p.hasAnchorSizes()
                ? f.optional("peopleseg_config.anchor_sizes", p.getAnchorSizes()).map(n -> f.sizesPerLevel("peopleseg_config.anchor_sizes", n)).orElse(null)
                : null;
        double[] rpnWeights = p.hasRpnBoxWeights()
                ? f.optional("peopleseg_config.rpn_box_weights", p.getRpnBoxWeights())
                        .map(n -> f.numbers("peopleseg_config.rpn_box_weights", n, 4, POSITIVE, "positive")).orElse(null)
                : null;
        double[] mean = p.hasPixelMean()
                ? f.optional("peopleseg_config.pixel_mean", p.getPixelMean())
                        .map(n -> f.numbers("peopleseg_config.pixel_mean", n, 3, ANY, "")).orElse(null)
                : null;
        double[] std = p.hasPixelStd()
                ? f.optional("peopleseg_config.pixel_std", p.getPixelStd())
                        .map(n -> f.numbers("peopleseg_config.pixel_std", n, 3, POSITIVE, "positive")).orElse(null)
                : null;

        return new TaoSpec.Tuples(hw == null ? 0 : hw[0], hw == null ? 0 : hw[1], aspects, bboxWeights, freeze, steps, decay,
                anchorSizes, rpnWeights, mean, std);
    }

    private int[] imageSize(String value) {
        String path = "data_config.image_size";
        Optional<Node> node = required(path, value, "\"(576, 960)\" (height, width)");
        if (node.isEmpty()) {
            return null;
        }
        int[] hw = integers(path, node.get(), 1, Integer.MAX_VALUE);
        if (hw != null && hw.length != 2) {
            problems.inString(path, node.get().offset(), "image_size must be \"(height, width)\", two numbers, got " + hw.length);
            return null;
        }
        return hw;
    }

    private Optional<Node> required(String path, String value, String example) {
        if (value.isEmpty()) {
            problems.missing(path, leaf(path) + " is missing; write for example " + leaf(path) + ": " + example);
            return Optional.empty();
        }
        return parse(path, value);
    }

    private Optional<Node> optional(String path, String value) {
        return value.isEmpty() ? Optional.empty() : parse(path, value);
    }

    private Optional<Node> parse(String path, String value) {
        try {
            return Optional.of(TupleParser.parse(value));
        } catch (TupleParser.SyntaxError e) {
            problems.inString(path, e.offset(), "malformed " + leaf(path) + " \"" + value + "\": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A flat tuple or list of numbers; {@code count} -1 for any length. Returns null after reporting a problem. */
    private double[] numbers(String path, Node node, int count, DoublePredicate ok, String what) {
        if (!(node instanceof Seq seq)) {
            problems.inString(path, node.offset(), leaf(path) + " must be a tuple or list of numbers"
                    + (count > 0 ? " (" + count + " of them)" : ""));
            return null;
        }
        if (count > 0 && seq.items().size() != count) {
            problems.inString(path, seq.offset(), leaf(path) + " needs " + count + " numbers, got " + seq.items().size());
            return null;
        }
        double[] out = new double[seq.items().size()];
        for (int i = 0; i < out.length; i++) {
            Node item = seq.items().get(i);
            if (!(item instanceof Num num)) {
                problems.inString(path, item.offset(), leaf(path) + " element " + (i + 1) + " must be a number, not a nested tuple");
                return null;
            }
            if (!ok.test(num.value())) {
                problems.inString(path, item.offset(), leaf(path) + " values must be " + what + ", got " + num.text());
                return null;
            }
            out[i] = num.value();
        }
        return out;
    }

    /** A flat tuple or list of integers within [min, max]. */
    private int[] integers(String path, Node node, int min, int max) {
        double[] values = numbers(path, node, -1, ANY, "");
        if (values == null) {
            return null;
        }
        Seq seq = (Seq) node;
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            Num num = (Num) seq.items().get(i);
            if (!num.isInteger() || num.value() < min || num.value() > max) {
                String range = max == Integer.MAX_VALUE ? "integers >= " + min : "integers in " + min + ".." + max;
                problems.inString(path, num.offset(), leaf(path) + " values must be " + range + ", got " + num.text());
                return null;
            }
            out[i] = (int) num.value();
        }
        return out;
    }

    /** A non-empty list of (width, height) multiplier pairs. */
    private List<double[]> pairs(String path, Node node) {
        if (!(node instanceof Seq seq) || seq.items().isEmpty()) {
            problems.inString(path, node.offset(), leaf(path) + " must be a non-empty list of (width, height) pairs, like \"[(1.0, 1.0), (1.4, 0.7)]\"");
            return null;
        }
        List<double[]> out = new ArrayList<>();
        for (Node item : seq.items()) {
            if (!(item instanceof Seq pair) || pair.items().size() != 2) {
                problems.inString(path, item.offset(), leaf(path) + " entries must be (width, height) pairs of two numbers");
                return null;
            }
            double[] wh = numbers(path, pair, 2, POSITIVE, "positive");
            if (wh == null) {
                return null;
            }
            out.add(wh);
        }
        return out;
    }

    /** Anchor sizes per level: each entry a number (one size) or a tuple of sizes; every level the same count. */
    private List<double[]> sizesPerLevel(String path, Node node) {
        if (!(node instanceof Seq seq) || seq.items().isEmpty()) {
            problems.inString(path, node.offset(), leaf(path) + " must list the sizes of each level, like \"[32, 64, 128, 256, 512]\"");
            return null;
        }
        List<double[]> out = new ArrayList<>();
        for (Node item : seq.items()) {
            double[] sizes;
            if (item instanceof Num num) {
                if (num.value() <= 0) {
                    problems.inString(path, num.offset(), leaf(path) + " values must be positive, got " + num.text());
                    return null;
                }
                sizes = new double[] {num.value()};
            } else {
                sizes = numbers(path, item, -1, POSITIVE, "positive");
                if (sizes == null) {
                    return null;
                }
            }
            if (!out.isEmpty() && sizes.length != out.get(0).length) {
                problems.inString(path, item.offset(), leaf(path) + ": every level needs the same number of sizes ("
                        + out.get(0).length + "), got " + sizes.length);
                return null;
            }
            out.add(sizes);
        }
        return out;
    }

    static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
