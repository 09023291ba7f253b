package org.peopleseg.core.result;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.Rle;

/**
 * An {@link Instance} with its mask run-length encoded ({@link Rle}) instead of a bitmap. Small enough to move between machines (the Spark job's rows)
 * and written by {@link CocoResultsWriter} exactly as the instance it came from.
 *
 * @param box  as the model gave it (the writers round it as they write)
 * @param mask null for box-only instances
 */
public record EncodedInstance(String label, int categoryId, double score, Box box, Rle mask) {

    /** Every instance of one image, masks encoded and checked against the image size. */
    public static List<EncodedInstance> encode(Detections d) {
        List<EncodedInstance> out = new ArrayList<>(d.instances().size());
        for (int i = 0; i < d.instances().size(); i++) {
            Instance inst = d.instances().get(i);
            out.add(new EncodedInstance(inst.label(), inst.categoryId(), inst.score(), inst.box(),
                    inst.hasMask() ? JsonOutput.encodeMask(d, i) : null));
        }
        return out;
    }

    /** The box as {@code [x1, y1, x2, y2]}. */
    public double[] boxXyxy() {
        return new double[] {box.x1(), box.y1(), box.x2(), box.y2()};
    }
}
