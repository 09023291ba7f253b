package org.peopleseg.train.yolo.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.image.NetworkInput;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.OrtTensors;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.yolo.SharedFiles;
import org.peopleseg.train.yolo.data.Letterbox;

/** The package's ONNX graph translated to DJL computes what ONNX Runtime computes, on real photos. */
class TrainableGraphParityTest {
    @TempDir
    static Path dir;
    static Path pkg;

    @BeforeAll
    static void importPackage() throws Exception {
        pkg = SharedFiles.yolo11Fp32(dir.resolve("y11-fp32.onnx"), 960, 576);
    }

    @Test
    void djlForwardEqualsOnnxRuntimeOnCocoPhotos() throws Exception {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(pkg));
        YoloSegHead head = YoloSegHead.find(model);
        Letterbox letterbox = new Letterbox(960, 576);
        try (NDManager m = TrainingEngine.get().newBaseManager();
             TrainableGraph graph = TrainableGraph.translate(model, m, List.of(head.raw(), head.coefficients(),
                     head.protos()));
             OnnxSession ort = OnnxSession.open(pkg, new SessionSettings(2))) {
            // The head is cut before the DFL softmax: its projection conv and the anchor constants stay constants.
            assertEquals(16, head.regMax());
            assertArrayEquals(new int[] {64}, head.classRows());
            assertTrue(graph.parameters().size() > 400, "conv weights and biases: " + graph.parameters().size());
            assertTrue(graph.parameters().values().stream().noneMatch(p -> p.getShape().equals(new Shape(1, 16, 1, 1))),
                    "the DFL projection is not trained");
            for (String file : List.of("000000002532.jpg", "000000000802.jpg")) {
                Path image = SharedFiles.resolve("data/coco-person/images/" + file);
                NetworkInput in = letterbox.apply(ImageReader.toRgb(ImageReader.read(image)));
                float[] det, protos;
                try (OnnxTensor t = OnnxTensor.createTensor(OnnxSession.environment(), FloatBuffer.wrap(in.chw()),
                        new long[] {1, 3, 576, 960});
                     OrtSession.Result r = ort.run(Map.of("images", t))) {
                    det = OrtTensors.floats((OnnxTensor) r.get("detections").orElseThrow());
                    protos = OrtTensors.floats((OnnxTensor) r.get("protos").orElseThrow());
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.create(in.chw(), new Shape(1, 3, 576, 960));
                    Map<String, NDArray> out = graph.forward(x, List.of("detections", "protos"), step);
                    assertEquals(new Shape(1, 37, 11340), out.get("detections").getShape());
                    assertEquals(new Shape(1, 144, 240, 32), out.get("protos").getShape());
                    float[] djlDet = out.get("detections").toFloatArray();
                    float[] djlProtos = out.get("protos").toFloatArray();
                    double detErr = maxAbs(det, djlDet), protoErr = maxAbs(protos, djlProtos);
                    System.out.printf("%s: max |DJL - ORT| detections %.3g, protos %.3g%n", file, detErr, protoErr);
                    // Box rows are normalised to [0, 1], scores are probabilities: 1e-4 is a tight bound there;
                    // coefficients and prototypes are logits of magnitude ~10.
                    assertTrue(detErr < 1e-4, file + ": detections differ by " + detErr);
                    assertTrue(protoErr < 1e-4, file + ": protos differ by " + protoErr);
                    assertEquals(0, step.getManagedArrays().stream().filter(a -> a.getManager() != step).count());
                }
            }
        }
    }

    static double maxAbs(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
