package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.models.spec.SpecTestSupport.card;

import org.junit.jupiter.api.Test;

class SpecReportTest {

    @Test
    void describesTheCardArchitecture() throws Exception {
        String text = SpecReport.describe(SpecResolver.resolve(card()));
        for (String expected : new String[] {
                "Mask R-CNN, ResNet-50 FPN, 2 classes (background + 1)",
                "960 x 576 (W x H): scale to fit keeping aspect ratio, pad bottom/right",
                "divided by std (0.224, 0.224, 0.224)",
                "bottleneck blocks 3-4-6-3",
                "P2     4       240x144   32x32, 44.8x22.4, 22.4x44.8",
                "P6     64      15x9      512x512, 716.8x358.4, 358.4x716.8",
                "size outer, aspect ratio inner; centre at (j + 0.5) * stride; corners not rounded",
                "138105 anchors at 960x576",
                "per level the top 1000 by objectness",
                "NMS 0.7 per level; best 1000 over all levels",
                "7x7 box, 14x14 mask; sampling ratio 1, aligned=false, levels P2..P6",
                "2 FC x 1024 -> 2 class scores",
                "score > 0.05, NMS 0.5 per class, at most 100 detections",
                "4 conv 3x3 x 256, 2x transposed conv -> 28x28"}) {
            assertTrue(text.contains(expected), "expected '" + expected + "' in:\n" + text);
        }
    }

    @Test
    void describesTorchvisionRoundedAnchors() {
        String text = SpecReport.describe(TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 91));
        assertTrue(text.contains("46x22, 32x32, 22x46"), "torchvision's rounded base anchors at P2:\n" + text);
        assertTrue(text.contains("aspect ratio outer, size inner; centre at j * stride; corners rounded"), text);
        assertTrue(text.contains("shorter side 800, longer side at most 1333"), text);
    }
}
