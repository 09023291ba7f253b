package org.peopleseg.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoBox;
import org.peopleseg.core.dataset.CocoCategory;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoFormatException;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.dataset.CocoSegmentation;

/** Small hand-built ground truths and detections for the rule tests (person = category 1, images 200x200). */
final class EvalFixtures {
    static final int SIZE = 200;

    private EvalFixtures() {
    }

    /** A person whose mask is its box, area field = w * h. */
    static CocoAnnotation person(long id, long image, double x, double y, double w, double h) {
        return new CocoAnnotation(id, image, 1, new CocoBox(x, y, w, h), w * h, false, boxMask(x, y, w, h));
    }

    /** A crowd region (iscrowd = 1) whose mask is its box. */
    static CocoAnnotation crowd(long id, long image, double x, double y, double w, double h) {
        return new CocoAnnotation(id, image, 1, new CocoBox(x, y, w, h), w * h, true, boxMask(x, y, w, h));
    }

    /** A person without segmentation (box-only ground truth). */
    static CocoAnnotation boxOnly(long id, long image, double x, double y, double w, double h) {
        return new CocoAnnotation(id, image, 1, new CocoBox(x, y, w, h), w * h, false, null);
    }

    static CocoSegmentation boxMask(double x, double y, double w, double h) {
        return new CocoSegmentation.Polygons(List.of(new CocoBox(x, y, w, h).toPolygon()));
    }

    /** A box-only detection of a person (area = w * h, as loadRes sets it). */
    static CocoDetection det(long image, double score, double x, double y, double w, double h) {
        return CocoDetection.of(image, 1, new CocoBox(x, y, w, h), score, null);
    }

    /** A detection whose mask is its box. */
    static CocoDetection maskDet(long image, double score, double x, double y, double w, double h) {
        return CocoDetection.of(image, 1, new CocoBox(x, y, w, h), score, boxMask(x, y, w, h));
    }

    static CocoImage image(long id) {
        return new CocoImage(id, id + ".jpg", SIZE, SIZE);
    }

    static CocoImage image(long id, Map<String, String> fields) {
        return new CocoImage(id, id + ".jpg", SIZE, SIZE, fields);
    }

    /** Images 1..imageCount and the given annotations. */
    static CocoDataset dataset(int imageCount, CocoAnnotation... annotations) {
        List<CocoImage> images = new ArrayList<>();
        for (int i = 1; i <= imageCount; i++) {
            images.add(image(i));
        }
        return dataset(images, annotations);
    }

    static CocoDataset dataset(List<CocoImage> images, CocoAnnotation... annotations) {
        try {
            return CocoDataset.of("test-gt", images, List.of(annotations), List.of(new CocoCategory(1, "person",
                    "person")));
        } catch (CocoFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
