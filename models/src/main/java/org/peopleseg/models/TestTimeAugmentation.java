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

    /** "none" or "flip", case-insensitive; the message lists the choices. */
    public static TestTimeAugmentation parse(String text) {
        for (TestTimeAugmentation t : values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown test-time augmentation '" + text + "' (choose none or flip)");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
