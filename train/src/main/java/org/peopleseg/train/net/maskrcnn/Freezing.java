package org.peopleseg.train.net.maskrcnn;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which parts of the ResNet are not trained: TAO's {@code freeze_blocks} and {@code freeze_bn}.
 *
 * <p>Block numbering is TAO's (and matches torchvision's {@code trainable_backbone_layers} list
 * {@code ["layer4", "layer3", "layer2", "layer1", "conv1"]}): block 0 is the stem ({@code conv1}, its batch norm),
 * block k (1..4) is ResNet stage {@code layer k} (C2..C5). The PeopleSegNet card freezes {@code [0, 1]}.
 *
 * <p>Batch norm is always frozen here: torchvision's {@code FrozenBatchNorm2d} (fixed statistics and affine,
 * {@code y = x * g / sqrt(var + eps) + (b - mean * g / sqrt(var + eps))}), which is what the card's
 * {@code freeze_bn: True} means and what makes a package's folded weights a valid start. Trainable batch norm
 * ({@code freeze_bn: False}) is refused rather than silently ignored: at the batch sizes a CPU trains with (1-2
 * images) batch statistics are noise, torchvision itself swaps in frozen BN for detection fine-tuning, and the ONNX
 * package folds BN, so a trainable-BN network would not be the function the package computes.
 *
 * @param frozenBlocks blocks 0..4 whose weights are not updated
 */
public record Freezing(Set<Integer> frozenBlocks) {
    public Freezing {
        frozenBlocks = Set.copyOf(new TreeSet<>(frozenBlocks));
        for (int b : frozenBlocks) {
            if (b < 0 || b > 4) {
                throw new IllegalArgumentException("freeze_blocks: block " + b
                        + " does not exist (0 = stem conv1, 1..4 = ResNet stages layer1..layer4)");
            }
        }
    }

    /** Nothing frozen but batch norm. */
    public static Freezing none() {
        return new Freezing(Set.of());
    }

    /**
     * From TAO's two fields.
     *
     * @throws IllegalArgumentException for a block outside 0..4 or {@code freezeBn == false}
     */
    public static Freezing of(Iterable<Integer> freezeBlocks, boolean freezeBn) {
        if (!freezeBn) {
            throw new IllegalArgumentException("freeze_bn: False (trainable batch norm) is not supported: peopleseg "
                    + "trains with frozen batch norm (torchvision's FrozenBatchNorm2d), as the model card does; "
                    + "set freeze_bn: True");
        }
        Set<Integer> s = new TreeSet<>();
        freezeBlocks.forEach(s::add);
        return new Freezing(s);
    }

    /** True when the parameter of this state_dict name belongs to a frozen block. */
    boolean frozen(String name) {
        String body = "backbone.body.";
        if (!name.startsWith(body)) {
            return false;
        }
        String rest = name.substring(body.length());
        if (rest.startsWith("conv1.") || rest.startsWith("bn1.")) {
            return frozenBlocks.contains(0);
        }
        for (int k = 1; k <= 4; k++) {
            if (rest.startsWith("layer" + k + ".")) {
                return frozenBlocks.contains(k);
            }
        }
        return false;
    }

    /** Batch-norm tensors are never trained (FrozenBatchNorm2d keeps them as buffers). */
    static boolean batchNorm(String name) {
        return name.matches("^backbone\\.body\\.(.*\\.)?(bn\\d|downsample\\.1)\\.(weight|bias|running_mean|running_var)$");
    }
}
