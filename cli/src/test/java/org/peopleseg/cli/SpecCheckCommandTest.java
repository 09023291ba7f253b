package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecCheckCommandTest {
    @TempDir
    Path tmp;

    /** The essentials of a TAO spec, in the model card's layout. */
    static final String SPEC = """
            data_config {
              image_size: "(576, 960)"
              num_classes: 2
            }
            maskrcnn_config {
              nlayers: 50
              arch: "resnet"
              min_level: 2
              max_level: 6
              num_scales: 1
              anchor_scale: 8
              aspect_ratios: "[(1.0, 1.0), (1.4, 0.7), (0.7, 1.4)]"
              bbox_reg_weights: "(10., 10., 5., 5.)"
              include_mask: True
              mrcnn_resolution: 28
              fast_rcnn_mlp_head_dim: 1024
              test_detections_per_image: 100
              test_nms: 0.5
              test_rpn_pre_nms_topn: 1000
              test_rpn_post_nms_topn: 1000
              test_rpn_nms_thresh: 0.7
            }
            """;

    @Test
    void validSpecPrintsTheResolvedArchitecture() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.txt"), SPEC);
        Cli.Result r = Cli.run("spec", "check", spec.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("ResNet-50"), r.out());
        assertTrue(r.out().contains("P2..P6"), r.out());
        assertTrue(r.out().contains("anchors at 960x576"), r.out());
    }

    @Test
    void unknownFieldIsReportedWithLineAndColumn() throws Exception {
        Path spec = Files.writeString(tmp.resolve("bad.txt"), SPEC.replace("  nlayers: 50\n", "  nlayers: 50\n  bogus: 1\n"));
        Cli.Result r = Cli.run("spec", "check", spec.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains(spec + ":7:3:"), r.err());
        assertTrue(r.err().contains("bogus"), r.err());
    }

    @Test
    void malformedTupleIsReportedWithLineAndColumn() throws Exception {
        Path spec = Files.writeString(tmp.resolve("tuple.txt"), SPEC.replace("(0.7, 1.4)]", "(0.7 1.4)]"));
        Cli.Result r = Cli.run("spec", "check", spec.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(spec.toString()) + ":12:\\d+: .*aspect_ratios.*"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void missingSpecFileIsNamed() {
        Cli.Result r = Cli.run("spec", "check", tmp.resolve("none.txt").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("none.txt: no such file or directory"), r.err());
    }
}
