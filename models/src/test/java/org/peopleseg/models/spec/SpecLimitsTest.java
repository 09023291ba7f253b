package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.models.spec.SpecTestSupport.cardWith;
import static org.peopleseg.models.spec.SpecTestSupport.failure;

import org.junit.jupiter.api.Test;

/** Specs with absurd sizes: refused by the validator, each naming the field and the limit, before anything is built. */
class SpecLimitsTest {
    private static String refused(String text) {
        String msg = failure(text).getMessage();
        assertTrue(msg.contains("bad.txt"), msg);
        return msg;
    }

    @Test
    void billionAnchorsAndProposalsAreRefused() {
        String msg = refused(cardWith("num_scales: 1", "num_scales: 1000000000")
                .replaceFirst("test_rpn_pre_nms_topn: 1000", "test_rpn_pre_nms_topn: 1000000000"));
        assertTrue(msg.contains("num_scales 1000000000 is too large (the limit is 16)"), msg);
        assertTrue(msg.contains("test_rpn_pre_nms_topn 1000000000 is too large (the limit is 100000)"), msg);
    }

    @Test
    void hugeImageSizeIsRefused() {
        String msg = refused(cardWith("image_size: \"(576, 960)\"", "image_size: \"(1000000, 1000000)\""));
        assertTrue(msg.contains("image_size sides must be between 32 and 8192 pixels"), msg);
    }

    @Test
    void hugeHeadsAndClassCountsAreRefused() {
        String msg = refused(cardWith("fast_rcnn_mlp_head_dim: 1024", "fast_rcnn_mlp_head_dim: 1000000000")
                .replaceFirst("num_classes: 2", "num_classes: 4000000000")
                .replaceFirst("mrcnn_resolution: 28", "mrcnn_resolution: 100000"));
        assertTrue(msg.contains("fast_rcnn_mlp_head_dim 1000000000 is too large (the limit is 8192)"), msg);
        assertTrue(msg.contains("num_classes 4000000000 is too large (the limit is 100000)"), msg);
        assertTrue(msg.contains("mrcnn_resolution 100000 is too large (the limit is 256)"), msg);
    }
}
