package org.peopleseg.models;

import java.util.Locale;

/**
 * Test-time augmentation: extra views of each image whose detections are fused with the plain view's.
 * {@code FLIP} runs the network a second time on the mirrored image (twice the inference time) and fuses the two
 * views by weighted boxes fusion ({@link org.peopleseg.models.yolo.BoxFusion}); yolo-seg packages only.
 */
public enum TestTimeAugmentation {
    NONE,
    FLIP;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The suffix a load or progress line gets: empty for {@code NONE}, else the separator followed by
     * "test-time augmentation NAME", so every command names the augmentation the same way.
     */
    public String describe(String separator) {
        return this == NONE ? "" : separator + "test-time augmentation " + cliName();
    }
}
