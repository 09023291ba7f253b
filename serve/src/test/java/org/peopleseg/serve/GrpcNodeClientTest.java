package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.PerImageJson;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * The gRPC service through an independent client: Node's {@code @grpc/grpc-js} with {@code @grpc/proto-loader} on
 * the project's .proto. Every RPC answers, errors carry the right status codes, and the masks are the RLE strings
 * that {@code infer} writes for the same image (its per-image JSON, {@link PerImageJson}).
 */
class GrpcNodeClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void nodeClientGetsTheResultsInferWrites() throws Exception {
        NodeTools.assumeInstalled();
        Path photo = TestModels.photo("000000005060.jpg");
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = TestModels.yolo(models.resolve("people.onnx"), 320, 192);
        Detections expected;
        try (PackagedSegmenter s = Segmenters.open(model, new SessionSettings(1), 0.5)) {
            expected = s.segment(ImageReader.read(photo), photo.getFileName().toString());
        }
        JsonNode inferJson = JSON.readTree(PerImageJson.toJson(5060, expected));
        assertFalse(inferJson.get("instances").isEmpty());

        StringWriter log = new StringWriter();
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, 0)
                .withConcurrency(1, 4, 1).withApiKey("k3y"), log)) {
            NodeTools.Run run = NodeTools.run(120, "grpc_client.js", "127.0.0.1:" + server.grpcPort(),
                    Path.of("src/main/proto/grpc_predict_v2.proto").toAbsolutePath().toString(), "people",
                    photo.toString(), "k3y");
            assertEquals(0, run.code(), run.err());
            JsonNode r = JSON.readTree(run.out());
            assertTrue(r.get("live").get("live").asBoolean(), r.toString());
            assertTrue(r.get("ready").get("ready").asBoolean(), r.toString());
            assertEquals("peopleseg", r.get("server").get("name").asText());
            assertEquals("people", r.get("model").get("name").asText());
            assertEquals("onnxruntime_onnx", r.get("model").get("platform").asText());
            assertEquals("image", r.get("model").get("inputs").get(0).get("name").asText());
            assertEquals(4, r.get("model").get("outputs").size());
            assertTrue(r.get("modelReady").get("ready").asBoolean());
            assertEquals(5, r.get("unknownModel").get("error").get("code").asInt(), "NOT_FOUND: " + r.get("unknownModel"));
            assertEquals(3, r.get("badInput").get("error").get("code").asInt(), "INVALID_ARGUMENT: " + r.get("badInput"));

            JsonNode infer = r.get("infer");
            assertEquals("node-1", infer.get("id").asText(), infer.toString());
            JsonNode masks = infer.get("outputs").get("masks");
            JsonNode instances = inferJson.get("instances");
            assertEquals(instances.size(), masks.size());
            assertEquals("[" + instances.size() + ",4]", infer.get("shapes").get("boxes").toString());
            for (int i = 0; i < masks.size(); i++) {
                JsonNode inst = instances.get(i);
                assertEquals(inst.get("segmentation").get("counts").asText(), masks.get(i).asText(), "mask " + i);
                assertEquals(inst.get("category_id").asLong(), infer.get("outputs").get("labels").get(i).asLong());
                assertEquals((float) inst.get("score").asDouble(), infer.get("outputs").get("scores").get(i).floatValue());
                assertEquals(inst.get("box_xyxy").get(0).asDouble(),
                        infer.get("outputs").get("boxes").get(4 * i).asDouble(), 1e-3);
            }
            // without the key only health answers
            NodeTools.Run noKey = NodeTools.run(120, "grpc_client.js", "127.0.0.1:" + server.grpcPort(),
                    Path.of("src/main/proto/grpc_predict_v2.proto").toAbsolutePath().toString(), "people",
                    photo.toString());
            JsonNode denied = JSON.readTree(noKey.out());
            assertTrue(denied.get("live").get("live").asBoolean());
            assertEquals(16, denied.get("infer").get("error").get("code").asInt(), "UNAUTHENTICATED: " + denied);
        }
        assertTrue(log.toString().contains("grpc ModelInfer people OK"), log.toString());
    }
}
