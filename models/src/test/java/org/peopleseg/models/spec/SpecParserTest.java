package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.models.spec.SpecTestSupport.card;
import static org.peopleseg.models.spec.SpecTestSupport.cardText;
import static org.peopleseg.models.spec.SpecTestSupport.cardWith;
import static org.peopleseg.models.spec.SpecTestSupport.failure;
import static org.peopleseg.models.spec.SpecTestSupport.positionOf;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.Experiment;
import org.peopleseg.models.spec.proto.MaskRCNNConfig;

class SpecParserTest {

    @Test
    void cardSnippetAloneResolvesWithPeopleSegNetDataDefaults() throws Exception {
        Path snippet = Path.of(SpecParserTest.class.getResource("/spec/peoplesegnet_card_snippet.txt").toURI());
        TaoSpec spec = SpecParser.parse(snippet);
        assertFalse(Files.readString(snippet).contains("data_config"));
        assertEquals(1, spec.notes().size());
        assertTrue(spec.notes().get(0).contains("960x576"), spec.notes().get(0));
        var config = SpecResolver.resolve(spec);
        assertEquals(960, config.input().width());
        assertEquals(576, config.input().height());
        assertEquals(2, config.numClasses());
        assertTrue(card().notes().isEmpty());
    }

    @Test
    void cardParsesUnchangedWithEveryFieldInPlace() throws Exception {
        TaoSpec spec = card();
        Experiment e = spec.experiment();
        assertEquals(123, e.getSeed());
        assertFalse(e.getUseAmp());
        assertEquals(1000, e.getWarmupSteps());
        assertTrue(e.getCheckpoint().endsWith("resnet50.hdf5"));
        assertEquals("[10000, 15000, 20000]", e.getLearningRateSteps());
        assertEquals("[0.1, 0.02, 0.01]", e.getLearningRateDecayLevels());
        assertEquals(25000, e.getTotalSteps());
        assertEquals(2, e.getTrainBatchSize());
        assertEquals(4, e.getEvalBatchSize());
        assertEquals(5000, e.getNumStepsPerEval());
        assertEquals(0.9f, e.getMomentum());
        assertEquals(0.00004f, e.getL2WeightDecay());
        assertEquals(0f, e.getL1WeightDecay());
        assertEquals(0.0001f, e.getWarmupLearningRate());
        assertEquals(0.005f, e.getInitLearningRate());
        assertEquals(10000, e.getNumExamplesPerEpoch());
        assertEquals("", e.getPrunedModelPath(), "a commented-out field stays unset");
        assertFalse(e.hasPeoplesegConfig());

        DataConfig d = e.getDataConfig();
        assertEquals("(576, 960)", d.getImageSize());
        assertTrue(d.getAugmentInputData());
        assertEquals(500, d.getEvalSamples());
        assertTrue(d.getTrainingFilePattern().endsWith("train*.tfrecord"));
        assertTrue(d.getValidationFilePattern().endsWith("val*.tfrecord"));
        assertTrue(d.getValJsonFile().endsWith("instances_val.json"));
        assertEquals(2, d.getNumClasses());
        assertTrue(d.getSkipCrowdDuringTraining());
        assertEquals(200, d.getMaxNumInstances());

        MaskRCNNConfig m = e.getMaskrcnnConfig();
        assertEquals(50, m.getNlayers());
        assertEquals("resnet", m.getArch());
        assertTrue(m.getFreezeBn());
        assertEquals("[0,1]", m.getFreezeBlocks());
        assertEquals(112, m.getGtMaskSize());
        assertEquals(0.7f, m.getRpnPositiveOverlap());
        assertEquals(0.3f, m.getRpnNegativeOverlap());
        assertEquals(256, m.getRpnBatchSizePerIm());
        assertEquals(0.5f, m.getRpnFgFraction());
        assertEquals(0f, m.getRpnMinSize());
        assertEquals(512, m.getBatchSizePerIm());
        assertEquals(0.25f, m.getFgFraction());
        assertEquals(0.5f, m.getFgThresh());
        assertEquals(0.5f, m.getBgThreshHi());
        assertEquals(0f, m.getBgThreshLo());
        assertEquals(1024, m.getFastRcnnMlpHeadDim());
        assertEquals("(10., 10., 5., 5.)", m.getBboxRegWeights());
        assertTrue(m.getIncludeMask());
        assertEquals(28, m.getMrcnnResolution());
        assertEquals(2000, m.getTrainRpnPreNmsTopn());
        assertEquals(1000, m.getTrainRpnPostNmsTopn());
        assertEquals(0.7f, m.getTrainRpnNmsThreshold());
        assertEquals(100, m.getTestDetectionsPerImage());
        assertEquals(0.5f, m.getTestNms());
        assertEquals(1000, m.getTestRpnPreNmsTopn());
        assertEquals(1000, m.getTestRpnPostNmsTopn());
        assertEquals(0.7f, m.getTestRpnNmsThresh());
        assertEquals(2, m.getMinLevel());
        assertEquals(6, m.getMaxLevel());
        assertEquals(1, m.getNumScales());
        assertEquals("[(1.0, 1.0), (1.4, 0.7), (0.7, 1.4)]", m.getAspectRatios());
        assertEquals(8, m.getAnchorScale());
        assertEquals(1f, m.getRpnBoxLossWeight());
        assertEquals(1f, m.getFastRcnnBoxLossWeight());
        assertEquals(1f, m.getMrcnnWeightLossMask());

        TaoSpec.Tuples t = spec.tuples();
        assertEquals(576, t.imageHeight());
        assertEquals(960, t.imageWidth());
        assertEquals(3, t.aspectRatios().size());
        assertArrayEquals(new double[] {1.4, 0.7}, t.aspectRatios().get(1));
        assertArrayEquals(new double[] {10, 10, 5, 5}, t.bboxRegWeights());
        assertArrayEquals(new int[] {0, 1}, t.freezeBlocks());
        assertArrayEquals(new double[] {10000, 15000, 20000}, t.learningRateSteps());
        assertArrayEquals(new double[] {0.1, 0.02, 0.01}, t.learningRateDecayLevels());
    }

    @Test
    void parsesFromAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("people.txt");
        Files.writeString(ok, cardText());
        assertEquals(ok.toString(), SpecParser.parse(ok).source());

        Path bad = dir.resolve("bad_people.txt");
        Files.writeString(bad, cardWith("nlayers: 50", "nlayers: 42"));
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> SpecParser.parse(bad));
        assertTrue(e.getMessage().startsWith(bad + ":"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamedWithPositionAndCloseMatches() {
        String text = cardWith("nlayers: 50", "nlayer: 50");
        int[] at = positionOf(text, "nlayer: 50");
        SpecException e = failure(text);
        assertEquals(1, e.problems().size());
        SpecException.Problem p = e.problems().get(0);
        assertEquals(at[0], p.line());
        assertEquals(at[1], p.column());
        assertEquals("bad.txt:" + at[0] + ":" + at[1] + ": unknown field 'nlayer' in maskrcnn_config; did you mean 'nlayers'?",
                p.toString());
    }

    @Test
    void fieldInTheWrongSectionSaysWhereItBelongs() {
        String text = cardWith("    nlayers: 50", "    nlayers: 50\n    num_classes: 2");
        SpecException e = failure(text);
        String msg = e.getMessage();
        int[] at = positionOf(text, "num_classes: 2\n    arch");
        assertTrue(msg.contains(":" + at[0] + ":" + at[1] + ": unknown field 'num_classes' in maskrcnn_config"), msg);
        assertTrue(msg.contains("belongs in data_config"), msg);
    }

    @Test
    void everyUnknownFieldIsReported() {
        String text = cardWith("seed: 123", "sed: 123").replace("test_nms: 0.5", "tset_nms: 0.5");
        SpecException e = failure(text);
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).message().contains("'sed' in the top level; did you mean 'seed'?"), e.getMessage());
        assertTrue(e.problems().get(1).message().contains("'tset_nms' in maskrcnn_config; did you mean 'test_nms'?"), e.getMessage());
    }

    @Test
    void badValueTypeNamesTheFieldAndPosition() {
        String text = cardWith("nlayers: 50", "nlayers: \"fifty\"");
        int[] at = positionOf(text, "\"fifty\"");
        SpecException e = failure(text);
        SpecException.Problem p = e.problems().get(0);
        assertEquals(at[0], p.line(), p.toString());
        assertEquals(at[1], p.column(), p.toString());
        assertTrue(p.message().startsWith("bad value for nlayers: "), p.message());
    }

    @Test
    void badBooleanAndNegativeUnsigned() {
        SpecException e = failure(cardWith("include_mask: True", "include_mask: Maybe"));
        assertTrue(e.getMessage().contains("bad value for include_mask"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s)bad\\.txt:\\d+:\\d+: .*"), e.getMessage());

        e = failure(cardWith("test_detections_per_image: 100", "test_detections_per_image: -100"));
        assertTrue(e.getMessage().contains("bad value for test_detections_per_image"), e.getMessage());
    }

    @Test
    void malformedAspectRatiosPointAtTheBadCharacter() {
        String text = cardWith("(1.4, 0.7), (0.7, 1.4)]", "(1.4 0.7), (0.7, 1.4)]");
        int[] at = positionOf(text, "0.7), (0.7, 1.4)]\"");
        SpecException e = failure(text);
        SpecException.Problem p = e.problems().get(0);
        assertEquals(at[0], p.line(), p.toString());
        assertEquals(at[1], p.column(), p.toString());
        assertTrue(p.message().contains("malformed aspect_ratios"), p.message());
        assertTrue(p.message().contains("expected ',' or ')' but found '0'"), p.message());
    }

    @Test
    void unclosedAspectRatiosPointAtTheEndOfTheString() {
        String text = cardWith("\"[(1.0, 1.0), (1.4, 0.7), (0.7, 1.4)]\"", "\"[(1.0, 1.0)\"");
        int[] at = positionOf(text, "\"[(1.0, 1.0)\"");
        SpecException e = failure(text);
        SpecException.Problem p = e.problems().get(0);
        assertEquals(at[0], p.line());
        assertEquals(at[1] + "\"[(1.0, 1.0)".length(), p.column(), "at the closing quote, where ']' is missing: " + p);
        assertTrue(p.message().contains("missing ']'"), p.message());
    }

    @Test
    void aspectRatioEntriesMustBePairs() {
        String text = cardWith("(0.7, 1.4)]", "(0.7, 1.4, 2.0)]");
        int[] at = positionOf(text, "(0.7, 1.4, 2.0)");
        SpecException e = failure(text);
        assertEquals(at[1], e.problems().get(0).column(), e.getMessage());
        assertTrue(e.getMessage().contains("(width, height) pairs"), e.getMessage());
    }

    @Test
    void malformedTupleFieldsEachReportTheirOwnPlace() {
        String text = cardWith("\"(10., 10., 5., 5.)\"", "\"(10., 10., 5.)\"")
                .replace("\"(576, 960)\"", "\"(576, 96O)\"")
                .replace("\"[0,1]\"", "\"[0,7]\"");
        SpecException e = failure(text);
        String msg = e.getMessage();
        int[] size = positionOf(text, "O)\"");
        int[] weights = positionOf(text, "(10., 10., 5.)");
        int[] freeze = positionOf(text, "7]\"");
        assertTrue(msg.contains(":" + size[0] + ":" + size[1] + ": malformed image_size"), msg);
        assertTrue(msg.contains(":" + weights[0] + ":" + weights[1] + ": bbox_reg_weights needs 4 numbers, got 3"), msg);
        assertTrue(msg.contains(":" + freeze[0] + ":" + freeze[1] + ": freeze_blocks values must be integers in 0..3, got 7"), msg);
    }

    @Test
    void nlayers42IsRejectedAtItsValue() {
        String text = cardWith("nlayers: 50", "nlayers: 42");
        int[] at = positionOf(text, "42");
        SpecException e = failure(text);
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("bad.txt:" + at[0] + ":" + at[1] + ": nlayers 42 is not a ResNet TAO builds; use one of 10, 18, 34, 50, 101",
                e.problems().get(0).toString());
    }

    @Test
    void missingMaskrcnnConfigIsReported() {
        String text = cardText();
        String withoutSection = text.substring(0, text.indexOf("maskrcnn_config {"));
        SpecException e = failure(withoutSection);
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("maskrcnn_config { ... } is missing"), e.getMessage());
    }

    @Test
    void missingRequiredFieldsPointAtTheirSection() {
        String text = cardWith("    test_nms: 0.5\n", "").replace("    image_size: \"(576, 960)\"\n", "");
        SpecException e = failure(text);
        int[] data = positionOf(text, "data_config{");
        int[] mask = positionOf(text, "maskrcnn_config {");
        assertTrue(e.getMessage().contains(":" + data[0] + ":" + data[1] + ": image_size is missing"), e.getMessage());
        assertTrue(e.getMessage().contains(":" + mask[0] + ":" + mask[1] + ": test_nms must be in (0, 1], got 0.0 (missing?)"),
                e.getMessage());
    }

    @Test
    void semanticRulesAreAllReportedAtOnce() {
        String text = cardWith("min_level: 2", "min_level: 3")
                .replace("max_level: 6", "max_level: 2")
                .replace("num_classes: 2", "num_classes: 1")
                .replace("mrcnn_resolution: 28", "mrcnn_resolution: 27")
                .replace("test_rpn_nms_thresh: 0.7", "test_rpn_nms_thresh: 1.7")
                .replace("test_rpn_pre_nms_topn: 1000", "test_rpn_pre_nms_topn: 0")
                .replace("arch: \"resnet\"", "arch: \"vgg\"")
                .replace("learning_rate_decay_levels: \"[0.1, 0.02, 0.01]\"", "learning_rate_decay_levels: \"[0.1, 0.02]\"");
        SpecException e = failure(text);
        String msg = e.getMessage();
        for (String expected : new String[] {"max_level must be between min_level (3) and 7, got 2", "num_classes must count the background",
                "mrcnn_resolution must be a positive even number", "test_rpn_nms_thresh must be in (0, 1], got 1.7",
                "test_rpn_pre_nms_topn must be positive, got 0", "arch \"vgg\" is not supported",
                "learning_rate_decay_levels has 2 values but learning_rate_steps has 3"}) {
            assertTrue(msg.contains(expected), "expected '" + expected + "' in:\n" + msg);
        }
        for (SpecException.Problem p : e.problems()) {
            assertTrue(p.line() > 0 && p.column() > 0, "every problem has a place: " + p);
        }
        assertEquals(7, e.problems().size(), msg);
    }

    @Test
    void imageSizeMustBeAMultipleOfTheLargestStride() {
        String text = cardWith("\"(576, 960)\"", "\"(600, 960)\"");
        int[] at = positionOf(text, "\"(600, 960)\"");
        SpecException e = failure(text);
        assertEquals("bad.txt:" + at[0] + ":" + at[1] + ": image_size (600, 960) must be a multiple of the largest feature stride "
                + "2^max_level = 64 in both sides (TAO requires it); nearest: (576, 960)", e.problems().get(0).toString());
    }

    @Test
    void trainingRangesAreChecked() {
        String text = cardWith("rpn_negative_overlap: 0.3", "rpn_negative_overlap: 0.8")
                .replace("learning_rate_steps: \"[10000, 15000, 20000]\"", "learning_rate_steps: \"[10000, 9000, 20000]\"");
        SpecException e = failure(text);
        assertTrue(e.getMessage().contains("rpn_negative_overlap (0.8) must not exceed rpn_positive_overlap (0.7)"), e.getMessage());
        assertTrue(e.getMessage().contains("learning_rate_steps must increase, but 9000 follows 10000"), e.getMessage());
    }

    @Test
    void taoDefaultStyleSpecWithoutOptionalSectionsParses() throws Exception {
        String minimal = """
                data_config { image_size: "(832, 1344)" num_classes: 91 }
                maskrcnn_config {
                  nlayers: 101 arch: "resnet" include_mask: False
                  fast_rcnn_mlp_head_dim: 1024 bbox_reg_weights: "(10., 10., 5., 5.)"
                  test_detections_per_image: 100 test_nms: 0.5
                  test_rpn_pre_nms_topn: 1000 test_rpn_post_nms_topn: 1000 test_rpn_nms_thresh: 0.7
                  min_level: 2 max_level: 6 num_scales: 1 anchor_scale: 8
                  aspect_ratios: "[(1.0, 1.0)]"
                }
                """;
        TaoSpec spec = SpecParser.parse(minimal, "minimal.txt");
        assertEquals(832, spec.tuples().imageHeight());
        assertArrayEquals(new int[0], spec.tuples().freezeBlocks());
    }
}
