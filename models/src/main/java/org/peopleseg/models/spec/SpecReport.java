package org.peopleseg.models.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * The resolved architecture in words and numbers, for {@code peopleseg spec check SPEC}: what each stage is, the
 * pyramid with strides and grid sizes, every anchor's width x height at every level, the test-time limits, the
 * input transform. A spec's strings ("[(1.4, 0.7)]", "anchor_scale: 8") say little until resolved; this is what a
 * user compares with a paper, a model card or another framework's config.
 */
public final class SpecReport {

    private SpecReport() {}

    public static String describe(MaskRcnnConfig c) {
        List<String> lines = new ArrayList<>();
        int objects = c.numClasses() - 1;
        lines.add(String.format(Locale.ROOT, "Mask R-CNN, ResNet-%d FPN, %d classes (background + %d)%s", c.backbone().depth(),
                c.numClasses(), objects, c.includeMask() ? "" : ", boxes only (no mask head)"));
        lines.add("");
        input(c.input(), lines);
        backbone(c.backbone(), lines);
        pyramid(c, lines);
        rpn(c.rpn(), lines);
        roi(c, lines);
        heads(c, lines);
        return String.join("\n", lines) + "\n";
    }

    private static void input(MaskRcnnConfig.Input in, List<String> lines) {
        if (in.resize() == MaskRcnnConfig.Input.Resize.FIT_PAD) {
            section(lines, "Input", in.width() + " x " + in.height() + " (W x H): scale to fit keeping aspect ratio, pad bottom/right");
        } else {
            section(lines, "Input", "shorter side " + in.height() + ", longer side at most " + in.width()
                    + " (torchvision resize), pad bottom/right to a multiple of 32");
        }
        more(lines, "RGB / 255, minus mean " + tuple(in.mean()) + ", divided by std " + tuple(in.std()));
    }

    private static void backbone(MaskRcnnConfig.Backbone b, List<String> lines) {
        int[] blocks = b.blocksPerStage();
        String channels = String.join(", ", Arrays.stream(new int[] {0, 1, 2, 3}).mapToObj(s -> String.valueOf(b.stageChannels(s))).toList());
        section(lines, "Backbone", "ResNet-" + b.depth() + " (" + (b.bottleneck() ? "bottleneck" : "basic") + " blocks "
                + Arrays.stream(blocks).mapToObj(String::valueOf).collect(Collectors.joining("-"))
                + ", frozen batch norm); C2..C5 channels " + channels);
    }

    private static void pyramid(MaskRcnnConfig c, List<String> lines) {
        MaskRcnnConfig.Fpn fpn = c.fpn();
        MaskRcnnConfig.Anchors a = c.anchors();
        boolean fixed = c.input().resize() == MaskRcnnConfig.Input.Resize.FIT_PAD;
        section(lines, "FPN", "P" + fpn.minLevel() + "..P" + fpn.maxLevel() + ", " + fpn.channels() + " channels"
                + (fpn.maxLevel() > 5 ? "; P6.. by max-pool (kernel 1, stride 2) of the level below" : ""));
        more(lines, String.format(Locale.ROOT, "%-6s %-7s %-9s %s", "level", "stride", fixed ? "grid" : "", "anchors (W x H)"));
        long total = 0;
        for (int level = fpn.minLevel(); level <= fpn.maxLevel(); level++) {
            int gw = grid(c.input().width(), level);
            int gh = grid(c.input().height(), level);
            total += (long) gw * gh * a.perCell();
            more(lines, String.format(Locale.ROOT, "%-6s %-7d %-9s %s", "P" + level, 1 << level, fixed ? gw + "x" + gh : "",
                    anchorShapes(a, a.sizesPerLevel().get(level - fpn.minLevel()))));
        }
        section(lines, "Anchors", a.perCell() + " per cell (" + a.sizesPerLevel().get(0).length + " size"
                + (a.sizesPerLevel().get(0).length > 1 ? "s" : "") + " x " + a.aspectMultipliers().size() + " aspect ratios), "
                + (a.ratioMajor() ? "aspect ratio outer, size inner" : "size outer, aspect ratio inner")
                + "; centre at " + (a.centerOffset() == 0 ? "j * stride" : "(j + " + num(a.centerOffset()) + ") * stride") + "; corners " + (a.roundBase() ? "rounded" : "not rounded"));
        more(lines, "aspect (w, h) multipliers " + a.aspectMultipliers().stream().map(SpecReport::tuple).collect(Collectors.joining(", ")));
        if (fixed) {
            more(lines, total + " anchors at " + c.input().width() + "x" + c.input().height());
        }
    }

    private static void rpn(MaskRcnnConfig.Rpn r, List<String> lines) {
        section(lines, "RPN", "per level the top " + r.preNmsTopN() + " by objectness; decode (weights " + tuple(r.boxWeights())
                + "), clip, drop sides < " + num(r.minSize()) + " px; NMS " + num(r.nmsThreshold()) + " per level; best "
                + r.postNmsTopN() + " over all levels");
    }

    private static void roi(MaskRcnnConfig c, List<String> lines) {
        MaskRcnnConfig.RoiAlign r = c.boxRoiAlign();
        String sizes = r.outputSize() + "x" + r.outputSize() + " box" + (c.includeMask()
                ? ", " + c.maskHead().roiAlign().outputSize() + "x" + c.maskHead().roiAlign().outputSize() + " mask" : "");
        section(lines, "RoIAlign", sizes + "; sampling ratio " + r.samplingRatio() + ", aligned=" + r.aligned() + ", levels P"
                + r.minLevel() + "..P" + r.maxLevel() + ", level = floor(" + r.canonicalLevel() + " + log2(sqrt(area) / "
                + r.canonicalScale() + "))");
    }

    private static void heads(MaskRcnnConfig c, List<String> lines) {
        MaskRcnnConfig.BoxHead b = c.boxHead();
        section(lines, "Box head", "2 FC x " + b.mlpDim() + " -> " + c.numClasses() + " class scores (softmax) + " + c.numClasses()
                + "x4 box deltas, weights (x, y, w, h) " + tuple(b.boxWeights()));
        section(lines, "Test limits", "score > " + num(b.scoreThreshold()) + ", NMS " + num(b.nmsThreshold())
                + " per class, at most " + b.detectionsPerImage() + " detections, box sides >= " + num(b.minSize()) + " px");
        if (c.includeMask()) {
            MaskRcnnConfig.MaskHead m = c.maskHead();
            section(lines, "Mask head", m.convs() + " conv 3x3 x " + m.channels() + ", 2x transposed conv -> " + m.resolution()
                    + "x" + m.resolution() + " logits per class");
        }
    }

    /** Feature-map side at {@code level}: each stride-2 stage gives ceil(n / 2). */
    private static int grid(int side, int level) {
        int n = side;
        for (int i = 0; i < level; i++) {
            n = (n + 1) / 2;
        }
        return n;
    }

    private static String anchorShapes(MaskRcnnConfig.Anchors a, double[] sizes) {
        List<String> shapes = new ArrayList<>();
        if (a.ratioMajor()) {
            for (double[] wh : a.aspectMultipliers()) {
                for (double s : sizes) {
                    shapes.add(shape(s, wh, a.roundBase()));
                }
            }
        } else {
            for (double s : sizes) {
                for (double[] wh : a.aspectMultipliers()) {
                    shapes.add(shape(s, wh, a.roundBase()));
                }
            }
        }
        return String.join(", ", shapes);
    }

    /** W x H of one anchor; rounded corners give 2 * round(side / 2), torch.round being half-to-even like rint. */
    private static String shape(double size, double[] wh, boolean round) {
        double w = size * wh[0];
        double h = size * wh[1];
        if (round) {
            w = 2 * Math.rint(w / 2);
            h = 2 * Math.rint(h / 2);
        }
        return num(w) + "x" + num(h);
    }

    private static void section(List<String> lines, String title, String text) {
        lines.add(String.format(Locale.ROOT, "%-12s %s", title, text));
    }

    private static void more(List<String> lines, String text) {
        lines.add(String.format(Locale.ROOT, "%-12s %s", "", text));
    }

    private static String tuple(double[] v) {
        return Arrays.stream(v).mapToObj(SpecReport::num).collect(Collectors.joining(", ", "(", ")"));
    }

    /** Up to 4 decimals, no trailing zeros: 44.8, 0.7071, 1000. */
    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
