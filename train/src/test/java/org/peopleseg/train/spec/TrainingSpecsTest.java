package org.peopleseg.train.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.spec.SpecException;
import org.peopleseg.models.spec.SpecParser;
import org.peopleseg.train.net.TrainingRules;

class TrainingSpecsTest {
    static final Path DATA = Path.of("/data");
    static final TrainingSpecs.Overrides GT = new TrainingSpecs.Overrides(Path.of("/data/gt.json"), DATA, null, null, null);

    static String resource(String name) throws Exception {
        return new String(TrainingSpecsTest.class.getResourceAsStream("/spec/" + name).readAllBytes(), StandardCharsets.UTF_8);
    }

    static TrainingConfig resolve(String text) throws Exception {
        return TrainingSpecs.resolve(SpecParser.parse(text, "exp.txt"), GT, DATA);
    }

    @Test
    void theCardSnippetAloneTrainsWithPeopleSegNetDataAndTaoSampleValuesAndSaysSo() throws Exception {
        TrainingConfig c = resolve(resource("peoplesegnet_card_snippet.txt"));
        assertEquals(960, c.model().input().width());
        assertEquals(576, c.model().input().height());
        assertEquals(2, c.model().numClasses());
        assertTrue(c.notes().get(0).contains("PeopleSegNet's data defaults"), c.notes().toString());
        assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("not in the spec, so TAO's sample values are used")
                && n.contains("train_batch_size 2") && n.contains("init_learning_rate 0.005")), c.notes().toString());
        Schedule s = c.schedule();
        assertEquals(25000, s.totalSteps());
        assertEquals(1000, s.warmupSteps());
        assertArrayEquals(new double[] {10000, 15000, 20000}, s.learningRateSteps());
        // the card's own maskrcnn_config training values go to the network's rules
        TrainingRules r = c.rules();
        assertEquals(0.7, r.rpnPositiveOverlap());
        assertEquals(512, r.batchSizePerIm());
        assertEquals(0.25, r.fgFraction());
        assertEquals(112, r.gtMaskSize());
        assertArrayEquals(new int[] {0, 1}, c.freezeBlocks());
        assertTrue(c.freezeBn());
        assertNull(c.startWeights());
        assertNull(c.data().valAnnotations());
    }

    @Test
    void theCardsZeroRpnMinSizeIsRaisedToTorchvisionsWithANoteAtItsLineAndColumn() throws Exception {
        // the card prints rpn_min_size: 0. (line 13, value at column 19); 0 would let zero-width proposals through
        TrainingConfig c = resolve(resource("peoplesegnet_card_snippet.txt"));
        assertEquals(TrainingRules.MIN_PROPOSAL_SIZE, c.rules().rpnMinSize());
        assertEquals(1e-3, TrainingRules.MIN_PROPOSAL_SIZE);
        assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("exp.txt:13:19: rpn_min_size 0.0 is raised to 0.001")),
                c.notes().toString());
        assertEquals(0.0, c.model().rpn().minSize(), "inference keeps the spec's value");
        // a value at or above the limit is kept and not mentioned; an unwritten one defaults to the limit
        c = resolve(resource("peoplesegnet_card_snippet.txt").replace("rpn_min_size: 0.", "rpn_min_size: 2.5"));
        assertEquals(2.5, c.rules().rpnMinSize());
        assertTrue(c.notes().stream().noneMatch(n -> n.contains("rpn_min_size 2.5")), c.notes().toString());
        c = resolve(resource("peoplesegnet_card_snippet.txt").replace("rpn_min_size: 0.", ""));
        assertEquals(TrainingRules.MIN_PROPOSAL_SIZE, c.rules().rpnMinSize());
        assertTrue(c.notes().stream().noneMatch(n -> n.contains("is raised")), c.notes().toString());
    }

    @Test
    void writtenTrainingFieldsKeepTaoMeaning() throws Exception {
        TrainingConfig c = resolve(resource("tiny_train.txt"));
        Schedule s = c.schedule();
        assertEquals(42, s.seed());
        assertEquals(2, s.batchSize());
        assertEquals(6, s.totalSteps());
        assertEquals(0.05, s.initLearningRate());
        assertEquals(0.0001, s.l2WeightDecay());
        assertEquals(3, s.stepsPerEval());
        assertTrue(c.data().horizontalFlip());
        assertTrue(c.data().skipCrowd());
        assertEquals(100, c.data().maxInstances());
        assertTrue(c.notes().stream().noneMatch(n -> n.startsWith("not in the spec")), c.notes().toString());
    }

    @Test
    void numEpochsBecomesStepsOnceTheDataIsKnown() throws Exception {
        TrainingConfig c = resolve(resource("tiny_train.txt").replace("total_steps: 6", "num_epochs: 3"));
        assertEquals(0, c.schedule().totalSteps());
        assertEquals(8, c.schedule().withTrainingImages(5).totalSteps()); // ceil(3 * 5 / 2)
    }

    @Test
    void fieldsThatCannotBeHonouredAreErrorsAtTheirLineAndColumn() throws Exception {
        String text = resource("tiny_train.txt")
                .replace("seed: 42", "seed: 42\nuse_amp: True")
                .replace("freeze_bn: True", "freeze_bn: False")
                .replace("momentum: 0.9", "momentum: 0.9\ncheckpoint: \"/ws/resnet50.hdf5\"\nsave_checkpoints_steps: 7");
        SpecException e = assertThrows(SpecException.class, () -> resolve(text));
        String m = e.getMessage();
        assertTrue(m.contains("exp.txt:3:10: use_amp: True cannot be honoured"), m);
        assertTrue(m.matches("(?s).*exp\\.txt:\\d+:13: checkpoint \"/ws/resnet50.hdf5\" cannot be honoured.*"), m);
        assertTrue(m.matches("(?s).*exp\\.txt:\\d+:25: TAO checkpoints every num_steps_per_eval.*"), m);
        assertTrue(m.matches("(?s).*exp\\.txt:\\d+:16: freeze_bn: False cannot be honoured.*"), m);
        assertEquals(4, e.problems().size(), m);
    }

    @Test
    void aTfRecordPatternWithoutCocoDataIsAnErrorAndSupersededWithIt() throws Exception {
        String text = resource("tiny_train.txt").replace("num_classes: 2",
                "num_classes: 2\n    training_file_pattern: \"/ws/train*.tfrecord\"");
        SpecException e = assertThrows(SpecException.class, () -> TrainingSpecs.resolve(SpecParser.parse(text, "exp.txt"),
                TrainingSpecs.Overrides.none(), DATA));
        assertTrue(e.getMessage().contains("training_file_pattern names TFRecords"), e.getMessage());
        TrainingConfig c = resolve(text);
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("superseded")), c.notes().toString());
    }

    @Test
    void zeroWhereZeroIsImpossibleIsAnError() throws Exception {
        SpecException e = assertThrows(SpecException.class, () -> resolve(resource("tiny_train.txt")
                .replace("train_batch_size: 2", "train_batch_size: 0")));
        assertTrue(e.getMessage().contains("train_batch_size must be positive, got 0"), e.getMessage());
    }
}
