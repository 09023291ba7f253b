package org.peopleseg.train.net.maskrcnn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.TorchvisionPreset;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.net.TrainingRules;

/**
 * The loss-parity fixture made by tools/fixtures/train/make_loss_fixture.py (torchvision 0.14, samplers patched to
 * first-k-by-index): image, targets, losses and gradient samples.
 */
final class ParityFixture {
    final JsonNode doc;
    final int width;
    final int height;

    ParityFixture(String resource) throws IOException {
        try (InputStream in = ParityFixture.class.getResourceAsStream(resource)) {
            doc = new ObjectMapper().readTree(in);
        }
        width = doc.get("width").asInt();
        height = doc.get("height").asInt();
    }

    /** maskrcnn_resnet50_fpn's architecture at this size, 2 classes. */
    MaskRcnnConfig config() {
        return TorchvisionPreset.maskrcnnResnet50Fpn(height, width, 2);
    }

    /** torchvision's training defaults, samplers first-by-index. */
    static TrainingRules torchvisionRules(TrainingRules.Sampling sampling) {
        return new TrainingRules(0.7, 0.3, 256, 0.5, 1e-3, 2000, 2000, 0.7, 512, 0.25, 0.5, 0.5, 0.0, 112,
                1, 1, 1, sampling, 0);
    }

    /** The image normalised in float32 as torchvision does ((u / 255 - mean) / std), CHW. */
    float[] pixels() {
        byte[] rgb = Base64.getDecoder().decode(doc.get("image_rgb_u8").asText());
        float[] out = new float[3 * height * width];
        for (int c = 0; c < 3; c++) {
            float mean = (float) doc.get("mean").get(c).asDouble();
            float std = (float) doc.get("std").get(c).asDouble();
            for (int i = 0; i < height * width; i++) {
                out[c * height * width + i] = ((rgb[i * 3 + c] & 0xFF) / 255f - mean) / std;
            }
        }
        return out;
    }

    ImageTargets targets() {
        List<float[]> boxes = new ArrayList<>();
        for (JsonNode b : doc.get("boxes")) {
            boxes.add(new float[] {(float) b.get(0).asDouble(), (float) b.get(1).asDouble(),
                    (float) b.get(2).asDouble(), (float) b.get(3).asDouble()});
        }
        int[] labels = new int[boxes.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = doc.get("labels").get(i).asInt();
        }
        List<byte[]> masks = new ArrayList<>();
        for (JsonNode m : doc.get("masks_u8")) {
            masks.add(Base64.getDecoder().decode(m.asText()));
        }
        return new ImageTargets(boxes, labels, masks, height, width);
    }

    TrainingBatch batch() {
        return new TrainingBatch(pixels(), 1, height, width, List.of(new int[] {height, width}), List.of(targets()));
    }

    double loss(String name) {
        return doc.get("losses").get(name).asDouble();
    }

    static float[] floats(String b64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
