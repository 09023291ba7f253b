package org.peopleseg.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of {@code train.jsonl}: a completed step.
 *
 * <pre>
 * {"step": 12, "lr": 0.0021, "loss_objectness": 0.69, "loss_rpn_box_reg": 0.02, "loss_classifier": 0.7,
 *  "loss_box_reg": 0.01, "loss_mask": 0.69, "loss_total": 2.11, "grad_norm": 3.4, "seconds": 2.05,
 *  "rss_mb": 1234.5, "images": [802, 1000], "flipped": [false, true]}
 * </pre>
 *
 * {@code step} is 1-based (the number of updates made, as TF's global_step after the update); {@code lr} is the
 * rate the update used; the losses are the unweighted terms, {@code loss_total} the weighted sum minimised.
 */
public record StepRecord(long step, double lr, double objectness, double rpnBox, double classifier, double box,
        double mask, double total, double gradNorm, double seconds, double rssMb, long[] images, boolean[] flipped) {

    static final String[] LOSS_NAMES = {"loss_objectness", "loss_rpn_box_reg", "loss_classifier", "loss_box_reg",
        "loss_mask", "loss_total"};

    double[] losses() {
        return new double[] {objectness, rpnBox, classifier, box, mask, total};
    }

    String toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("step", step);
        o.put("lr", lr);
        double[] l = losses();
        for (int i = 0; i < l.length; i++) {
            o.put(LOSS_NAMES[i], l[i]);
        }
        o.put("grad_norm", gradNorm);
        o.put("seconds", seconds);
        o.put("rss_mb", rssMb);
        ArrayNode ids = o.putArray("images");
        for (long id : images) {
            ids.add(id);
        }
        ArrayNode f = o.putArray("flipped");
        for (boolean b : flipped) {
            f.add(b);
        }
        return o.toString();
    }
}
