package org.peopleseg.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.spec.SpecParser;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.train.checkpoint.CheckpointStore;
import org.peopleseg.train.checkpoint.TrainingState;
import org.peopleseg.train.report.TrainingReport;
import org.peopleseg.train.spec.TrainingConfig;
import org.peopleseg.train.spec.TrainingSpecs;

/**
 * The trainer with the real Mask R-CNN (ResNet-10 on a 128x64 canvas, so it runs in seconds): exact resumption,
 * checkpoint evaluation through an ONNX package, and a final package that ONNX Runtime runs.
 */
class MaskRcnnTrainingTest {

    static TrainingConfig config(Path data, int steps, int perEval) throws Exception {
        String text = new String(MaskRcnnTrainingTest.class.getResourceAsStream("/spec/tiny_train.txt").readAllBytes(),
                StandardCharsets.UTF_8)
                .replace("total_steps: 6", "total_steps: " + steps)
                .replace("num_steps_per_eval: 3", "num_steps_per_eval: " + perEval)
                .replace("batch_size_per_im: 512", "batch_size_per_im: 64")
                .replace("rpn_min_size: 0.", "rpn_min_size: 1.0")
                + "peopleseg_config { fpn_channels: 32 mask_head_channels: 32 }\n";
        var spec = SpecParser.parse(text, "tiny_train.txt");
        Path gt = data.resolve("annotations.json");
        return TrainingSpecs.resolve(spec, new TrainingSpecs.Overrides(gt, data, gt, data, null), data);
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAndOptimiserStateAsAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 3, 128, 64, false);
        TrainingConfig config = config(data, 4, 2);

        new Trainer(config, new MaskRcnnModels(), options(tmp.resolve("a"), false, () -> false, null, null)).run();
        AtomicInteger polls = new AtomicInteger();
        TrainingSummary first = new Trainer(config, new MaskRcnnModels(),
                options(tmp.resolve("b"), false, () -> polls.incrementAndGet() > 3, null, null)).run();
        assertTrue(first.interrupted());
        assertEquals(3, first.stepsDone());
        new Trainer(config, new MaskRcnnModels(), options(tmp.resolve("b"), true, () -> false, null, null)).run();

        TrainingState a = new CheckpointStore(tmp.resolve("a")).latest().orElseThrow();
        TrainingState b = new CheckpointStore(tmp.resolve("b")).latest().orElseThrow();
        assertEquals(4, a.step());
        assertEquals(4, b.step());
        int moved = 0;
        Map<String, org.peopleseg.models.maskrcnn.WeightTensor> init =
                org.peopleseg.train.net.maskrcnn.StartWeights.scratch(config.model(), config.schedule().seed());
        for (String name : a.weights().keySet()) {
            assertArrayEquals(a.weights().get(name).values(), b.weights().get(name).values(), 0f, name);
            if (!java.util.Arrays.equals(init.get(name).values(), a.weights().get(name).values())) {
                moved++;
            }
        }
        assertTrue(moved > 20, "trained tensors moved: " + moved);
        for (int i = 0; i < a.velocity().size(); i++) {
            assertArrayEquals(a.velocity().get(i), b.velocity().get(i), 0f, a.parameterNames().get(i));
        }
    }

    @Test
    void checkpointsAreEvaluatedAsPackagesAndTheFinalPackageRunsInOnnxRuntime(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 2, 128, 64, false);
        TrainingConfig config = config(data, 2, 1);
        Path run = tmp.resolve("run");
        StringWriter log = new StringWriter();
        PrintWriter pw = new PrintWriter(log, true);
        TrainingSummary s = new Trainer(config, new MaskRcnnModels(), options(run, false, () -> false,
                new PackageEvaluator(config, 2, pw), new PackageWriter(config, run.resolve("model.onnx")))).run();
        assertEquals(2, s.stepsDone());
        for (String step : new String[] {"1", "2"}) {
            assertTrue(Files.exists(run.resolve("eval/" + step + "/metrics.json")), log.toString());
            assertTrue(Files.exists(run.resolve("eval/" + step + "/results.json")));
            assertFalse(Files.exists(run.resolve("eval/" + step + "/model.onnx")), "the temporary package is removed");
        }
        var summary = new ObjectMapper().readTree(run.resolve("eval/2/summary.json").toFile());
        assertTrue(summary.has("bbox_AP") && summary.has("segm_AP50"), summary.toString());
        assertTrue(s.lastEval().containsKey("segm_AP"), s.lastEval().toString());

        try (var segmenter = Segmenters.open(run.resolve("model.onnx"), new SessionSettings(2), 0.0)) {
            var meta = segmenter.metadata();
            assertEquals(128, meta.inputWidth());
            assertTrue(meta.provenance().startsWith("peopleseg train: 2 steps"), meta.provenance());
            segmenter.segment(ImageReader.read(data.resolve("img001.png")), "img001.png");
        }
        Path report = TrainingReport.write(run);
        String html = Files.readString(report);
        assertTrue(html.contains("<h2>Evaluations</h2>"), html);
        // losses, learning rate, memory, AP over steps
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1);
    }

    static Trainer.Options options(Path run, boolean resume, java.util.function.BooleanSupplier stop,
            CheckpointEvaluator evaluator, Trainer.FinalPackager packager) {
        return new Trainer.Options(run, resume, new PrintWriter(new StringWriter(), true), stop, evaluator, packager);
    }
}
