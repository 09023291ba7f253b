package org.peopleseg.models.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.SharedDir;
import org.peopleseg.models.TestTimeAugmentation;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * {@code --tta flip} with the real YOLO11n-seg on a crowded COCO photo (000000087038, 13 people). Flip TTA fuses
 * an image with its mirror, so it must be mirror-symmetric: the detections of the mirrored photo, mirrored back,
 * are those of the photo. That fails if either view's boxes or masks are mirrored back wrongly (each person's
 * mask comes from the plain view in one run and from the mirrored view in the other).
 */
class FlipAugmentationTest {
    @TempDir
    static Path dir;
    private static Path pkg;
    private static BufferedImage photo;

    @BeforeAll
    static void importModel() throws Exception {
        Path shared = SharedDir.require();
        Path tflite = shared.resolve("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Assumptions.assumeTrue(Files.isRegularFile(tflite), "model not found: " + tflite);
        pkg = dir.resolve("y11-640x384.onnx");
        YoloSegPackage.importTflite(tflite, new YoloSegPackage.ImportOptions(640, 384,
                TfliteConverter.Precision.FP32, List.of("person"), "AGPL-3.0"), pkg);
        photo = ImageReader.read(shared.resolve("data/coco-person/images/000000087038.jpg"));
    }

    private static Detections run(BufferedImage image, TestTimeAugmentation tta) throws IOException {
        try (PackagedSegmenter s = Segmenters.open(pkg, new SessionSettings(2), 0.25, tta)) {
            return s.segment(image, "087038");
        }
    }

    private static BufferedImage mirror(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    private static double maskIou(BitMask a, BitMask b) {
        long inter = 0, union = 0;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                boolean p = a.get(x, y), q = b.get(a.width() - 1 - x, y);
                inter += p && q ? 1 : 0;
                union += p || q ? 1 : 0;
            }
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    @Test
    void flipFusionIsMirrorSymmetricInBoxesScoresAndMasks() throws IOException {
        Detections d = run(photo, TestTimeAugmentation.FLIP);
        Detections m = run(mirror(photo), TestTimeAugmentation.FLIP);
        assertTrue(d.instances().size() >= 8, "people found: " + d.instances().size());
        int w = photo.getWidth();
        List<Instance> unmatched = new ArrayList<>(m.instances());
        for (Instance a : d.instances()) {
            Instance b = unmatched.stream().min((p, q) -> Double.compare(
                    distance(a.box(), p.box(), w), distance(a.box(), q.box(), w))).orElseThrow();
            assertTrue(distance(a.box(), b.box(), w) < 0.5, a.box() + " vs mirrored " + b.box());
            assertEquals(a.score(), b.score(), 1e-3, "score of " + a.box());
            assertTrue(maskIou(a.mask(), b.mask()) > 0.97, "mask of " + a.box() + ": IoU "
                    + maskIou(a.mask(), b.mask()));
            unmatched.remove(b);
        }
        assertTrue(unmatched.isEmpty(), "only in the mirrored photo: " + unmatched);
    }

    /** Largest corner distance between box a and box b mirrored about the image's width. */
    private static double distance(Box a, Box b, int w) {
        return Math.max(Math.max(Math.abs(a.x1() - (w - b.x2())), Math.abs(a.x2() - (w - b.x1()))),
                Math.max(Math.abs(a.y1() - b.y1()), Math.abs(a.y2() - b.y2())));
    }

    @Test
    void fusedDetectionsAgreeWithThePlainViewOnWhoIsThere() throws IOException {
        Detections plain = run(photo, TestTimeAugmentation.NONE);
        Detections fused = run(photo, TestTimeAugmentation.FLIP);
        // every confident plain detection is still there after fusion, at about the same place and score
        for (Instance p : plain.instances()) {
            if (p.score() < 0.6) {
                continue;
            }
            Instance f = fused.instances().stream().max((a, b) -> Double.compare(a.box().iou(p.box()),
                    b.box().iou(p.box()))).orElseThrow();
            assertTrue(f.box().iou(p.box()) > 0.85, p.box() + " fused as " + f.box());
            assertEquals(p.score(), f.score(), 0.2, "score of " + p.box());
            assertTrue(f.hasMask() && f.mask().area() > 0.3 * f.box().area(), "mask of " + f.box());
        }
    }
}
