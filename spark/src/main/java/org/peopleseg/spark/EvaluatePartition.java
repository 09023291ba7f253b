package org.peopleseg.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoFormatException;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.eval.CocoEvalParams;
import org.peopleseg.core.eval.ImageEvaluations;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.result.EncodedInstance;

/**
 * The executor side of the distributed evaluation: COCOeval's per-image matching ({@link ImageEvaluations}) of one
 * partition's result rows against their images' ground truth, for each evaluated IoU type. The driver merges the
 * parts and accumulates ({@link DistributedEvaluation}). Rows with an error are not evaluated, as
 * {@code peopleseg evaluate} evaluates only the images the model ran on.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<Row>, ImageEvaluations> {
    private static final long serialVersionUID = 1L;

    private final String annotations;
    private final List<IouType> types;

    EvaluatePartition(String annotations, List<IouType> types) {
        this.annotations = annotations;
        this.types = List.copyOf(types);
    }

    @Override
    public Iterator<ImageEvaluations> call(Iterator<Row> rows) throws CocoFormatException {
        CocoDataset gt = GroundTruthHolder.get(annotations);
        Map<Long, CocoImage> images = new LinkedHashMap<>();
        List<CocoAnnotation> anns = new ArrayList<>();
        List<CocoDetection> detections = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            if (ResultRows.error(r) != null) {
                continue;
            }
            long id = ResultRows.imageId(r);
            CocoImage image = gt.image(id).orElseThrow(() -> new IllegalStateException("image id " + id + " of "
                    + ResultRows.path(r) + " is not in " + annotations));
            images.put(id, image);
            anns.addAll(gt.annotationsOf(id));
            for (EncodedInstance inst : ResultRows.instances(r)) {
                detections.add(CocoDetection.fromEncoded(id, inst));
            }
        }
        List<ImageEvaluations> out = new ArrayList<>();
        if (images.isEmpty()) {
            return out.iterator();
        }
        CocoDataset part = CocoDataset.of(gt.source(), new ArrayList<>(images.values()), anns, gt.categories());
        for (IouType type : types) {
            out.add(ImageEvaluations.evaluate(part, detections, type, CocoEvalParams.defaults()));
        }
        return out.iterator();
    }
}
