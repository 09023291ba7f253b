package org.peopleseg.models.maskrcnn;

import java.util.List;
import java.util.Objects;

/**
 * The resolved Mask R-CNN (ResNet-FPN) architecture and its test-time settings: everything the graph builder
 * needs, as plain values. A TAO spec ({@code maskrcnn_config}, {@code data_config}) and the torchvision preset
 * both resolve into this, so each convention (anchor layout, box coding, RoIAlign alignment) is a value here
 * rather than a branch in the builder.
 */
public record MaskRcnnConfig(Backbone backbone, Fpn fpn, Anchors anchors, Rpn rpn, RoiAlign boxRoiAlign, BoxHead boxHead,
                             MaskHead maskHead, Input input, int numClasses) {

    public MaskRcnnConfig {
        Objects.requireNonNull(backbone);
        Objects.requireNonNull(fpn);
        Objects.requireNonNull(anchors);
        Objects.requireNonNull(rpn);
        Objects.requireNonNull(boxRoiAlign);
        Objects.requireNonNull(boxHead);
        Objects.requireNonNull(input);
        if (numClasses < 2) {
            throw new IllegalArgumentException("num_classes must count the background too (>= 2), got " + numClasses);
        }
        if (anchors.sizesPerLevel().size() != fpn.maxLevel() - fpn.minLevel() + 1) {
            throw new IllegalArgumentException("need anchor sizes for each of the FPN levels " + fpn.minLevel() + ".." + fpn.maxLevel());
        }
    }

    /** True when the model predicts masks ({@code include_mask}). */
    public boolean includeMask() {
        return maskHead != null;
    }

    /** ResNet (v1.5: stride in the 3x3 conv) with batch norm frozen; depth 10, 18, 34, 50 or 101. */
    public record Backbone(int depth) {
        public Backbone {
            if (!List.of(10, 18, 34, 50, 101).contains(depth)) {
                throw new IllegalArgumentException("nlayers must be one of 10, 18, 34, 50, 101, got " + depth);
            }
        }

        /** Residual blocks in each of the four stages (C2..C5). */
        public int[] blocksPerStage() {
            return switch (depth) {
                case 10 -> new int[] {1, 1, 1, 1};
                case 18 -> new int[] {2, 2, 2, 2};
                case 34, 50 -> new int[] {3, 4, 6, 3};
                case 101 -> new int[] {3, 4, 23, 3};
                default -> throw new IllegalStateException();
            };
        }

        /** Bottleneck blocks (1x1, 3x3, 1x1 with 4x expansion) from 50 layers up; basic blocks below. */
        public boolean bottleneck() {
            return depth >= 50;
        }

        /** Output channels of stage i (0 = C2). */
        public int stageChannels(int stage) {
            return (bottleneck() ? 256 : 64) << stage;
        }
    }

    /**
     * Feature pyramid over levels minLevel..maxLevel (level l has stride 2^l). Levels above 5 are made by
     * subsampling the level below (max-pool, kernel 1, stride 2), as TAO and torchvision do.
     */
    public record Fpn(int minLevel, int maxLevel, int channels) {
        public Fpn {
            if (minLevel < 2 || minLevel > 5 || maxLevel < minLevel || maxLevel > 7) {
                throw new IllegalArgumentException("FPN levels must satisfy 2 <= min_level <= 5, min_level <= max_level <= 7; got "
                        + minLevel + ".." + maxLevel);
            }
        }

        public int levels() {
            return maxLevel - minLevel + 1;
        }
    }

    /**
     * Anchors at every feature-map cell of every level.
     *
     * @param sizesPerLevel   base sizes (pixels) per level, minLevel first; one entry per scale
     * @param aspectMultipliers (width multiplier, height multiplier) pairs: an anchor of size s is s*w by s*h
     * @param ratioMajor      ordering of anchors at a cell: aspect ratio outer, scale inner (torchvision) or the reverse (TAO)
     * @param centerOffset    anchor centre of cell (i, j) is ((j + offset) * stride, (i + offset) * stride): 0 (torchvision), 0.5 (TAO)
     * @param roundBase       round the base anchors' corners to integers (torchvision does)
     */
    public record Anchors(List<double[]> sizesPerLevel, List<double[]> aspectMultipliers, boolean ratioMajor,
                          double centerOffset, boolean roundBase) {
        public Anchors {
            sizesPerLevel = List.copyOf(sizesPerLevel);
            aspectMultipliers = List.copyOf(aspectMultipliers);
            if (aspectMultipliers.isEmpty()) {
                throw new IllegalArgumentException("at least one aspect ratio is needed");
            }
        }

        public int perCell() {
            return sizesPerLevel.get(0).length * aspectMultipliers.size();
        }
    }

    /**
     * Region proposal network and proposal selection: per level, the top {@code preNmsTopN} by objectness; boxes
     * decoded, clipped, small ones dropped; NMS per level; then the best {@code postNmsTopN} over all levels.
     */
    public record Rpn(int preNmsTopN, int postNmsTopN, double nmsThreshold, double minSize, double[] boxWeights) {}

    /**
     * Multi-level RoIAlign: a box of area a goes to level floor(canonicalLevel + log2(sqrt(a) / canonicalScale + 1e-6)),
     * clamped to [minLevel, maxLevel].
     *
     * @param aligned false = torchvision's aligned=False (no half-pixel shift; ONNX "output_half_pixel")
     */
    public record RoiAlign(int outputSize, int samplingRatio, boolean aligned, int minLevel, int maxLevel,
                           int canonicalScale, int canonicalLevel) {}

    /**
     * Box head: two fully connected layers, then class scores (softmax) and class-specific box deltas; per-class
     * NMS and the best {@code detectionsPerImage} that score above {@code scoreThreshold}.
     */
    public record BoxHead(int mlpDim, double[] boxWeights, double scoreThreshold, double nmsThreshold,
                          int detectionsPerImage, double minSize) {}

    /** Mask head: {@code convs} 3x3 convolutions on RoIAlign features, a 2x transposed convolution, per-class logits. */
    public record MaskHead(RoiAlign roiAlign, int convs, int channels) {
        /** Side of the predicted mask (TAO's mrcnn_resolution): twice the RoI size. */
        public int resolution() {
            return roiAlign.outputSize() * 2;
        }
    }

    /**
     * How an image becomes the network input.
     *
     * @param width     canvas width (TAO image_size) or, for MIN_MAX, the longest side allowed (torchvision max_size)
     * @param height    canvas height or, for MIN_MAX, the target shorter side (torchvision min_size)
     * @param resize    FIT_PAD: scale to fit in width x height, pad bottom/right to exactly that; MIN_MAX:
     *                  torchvision's rule, padded bottom/right to a multiple of 32
     * @param mean      per channel (RGB), subtracted from pixel/255
     * @param std       per channel, divides after the mean
     */
    public record Input(int width, int height, Resize resize, double[] mean, double[] std) {
        public Input {
            if (width < 32 || height < 32 || width > 8192 || height > 8192) {
                throw new IllegalArgumentException("input size must be between 32 and 8192 pixels a side, got " + width + "x" + height);
            }
        }

        public enum Resize { FIT_PAD, MIN_MAX }
    }
}
