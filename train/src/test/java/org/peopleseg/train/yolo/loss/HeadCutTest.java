package org.peopleseg.train.yolo.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.yolo.SharedFiles;
import org.peopleseg.train.yolo.data.Letterbox;
import org.peopleseg.train.yolo.graph.TrainableGraph;
import org.peopleseg.train.yolo.graph.YoloSegHead;

/**
 * The loss reads the right tensors: decoding the cut head outputs the way the loss does (DFL expectation with the
 * package's projection, anchor points from {@link AnchorPoints}, class sigmoid) reproduces the package's own
 * detections output, box, score and coefficient rows.
 */
class HeadCutTest {
    @TempDir
    Path dir;

    @Test
    void lossDecodingOfTheCutReproducesThePackageDetections() throws Exception {
        Path pkg = SharedFiles.yolo11Fp32(dir.resolve("y.onnx"), 960, 576);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(pkg));
        YoloSegHead head = YoloSegHead.find(model);
        AnchorPoints anchors = AnchorPoints.of(960, 576, AnchorPoints.YOLO_STRIDES);
        try (NDManager m = TrainingEngine.get().newBaseManager();
             TrainableGraph g = TrainableGraph.translate(model, m, List.of(head.raw()))) {
            float[] proj = g.constant(head.projection()).toFloatArray();
            var in = new Letterbox(960, 576).apply(ImageReader.toRgb(ImageReader.read(
                    SharedFiles.resolve("data/coco-person/images/000000002532.jpg"))));
            try (NDManager step = m.newSubManager()) {
                Map<String, NDArray> out = g.forward(step.create(in.chw(), new Shape(1, 3, 576, 960)),
                        List.of(head.raw(), head.coefficients(), head.protos(), "detections"), step);
                HeadTensors h = HeadTensors.of(out.get(head.raw()), out.get(head.coefficients()),
                        out.get(head.protos()), head.regMax(), head.classRows());
                float[] d = h.dist().softmax(2).mul(step.create(proj)).sum(new int[] {2}).toFloatArray();
                float[] score = Activation.sigmoid(h.cls()).toFloatArray();
                float[] coef = h.coeffs().toFloatArray();
                float[] det = out.get("detections").toFloatArray();
                int n = anchors.size();
                double err = 0;
                for (int a = 0; a < n; a++) {
                    float s = anchors.stride()[a];
                    double x1 = (anchors.x()[a] - d[4 * a]) * s, y1 = (anchors.y()[a] - d[4 * a + 1]) * s;
                    double x2 = (anchors.x()[a] + d[4 * a + 2]) * s, y2 = (anchors.y()[a] + d[4 * a + 3]) * s;
                    double[] mine = {(x1 + x2) / 2 / 960, (y1 + y2) / 2 / 576, (x2 - x1) / 960, (y2 - y1) / 576};
                    for (int r = 0; r < 4; r++) {
                        err = Math.max(err, Math.abs(mine[r] - det[r * n + a]));
                    }
                    err = Math.max(err, Math.abs(score[a] - det[4 * n + a]));
                    for (int k = 0; k < 32; k++) {
                        err = Math.max(err, Math.abs(coef[a * 32 + k] - det[(5 + k) * n + a]));
                    }
                }
                assertTrue(err < 1e-5, "decoded head differs from the package's detections by " + err);
            }
        }
    }
}
