package org.peopleseg.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.eval.CocoEvalParams;
import org.peopleseg.core.eval.CocoEvalResult;
import org.peopleseg.core.eval.ImageEvaluations;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.io.AtomicFiles;

/**
 * COCO evaluation of the job's results, split as COCOeval is: per-image matching on the executors
 * ({@link EvaluatePartition}), accumulation and the 12 summary numbers here, on the driver. The result equals
 * {@code peopleseg evaluate} on the same images and detections: matching never looks across images and
 * {@link ImageEvaluations#merge} restores pycocotools' image order. What travels to the driver is small: per image
 * and category the matched ground-truth ids, ignore flags and scores of at most 100 detections.
 */
final class DistributedEvaluation {
    private DistributedEvaluation() {}

    /** Bbox always; segm when the ground truth has masks (as {@code peopleseg evaluate} decides). */
    static Map<IouType, CocoEvalResult> evaluate(Dataset<Row> results, String annotations, CocoDataset gt) {
        List<IouType> types = gt.hasMasks() ? List.of(IouType.BBOX, IouType.SEGM) : List.of(IouType.BBOX);
        List<ImageEvaluations> parts = results.javaRDD()
                .mapPartitions(new EvaluatePartition(annotations, types)).collect();
        Map<IouType, CocoEvalResult> out = new EnumMap<>(IouType.class);
        for (IouType type : types) {
            List<ImageEvaluations> ofType = new ArrayList<>();
            parts.stream().filter(p -> p.iouType() == type).forEach(ofType::add);
            if (!ofType.isEmpty()) {
                out.put(type, ImageEvaluations.merge(ofType).accumulate(CocoEvalParams.defaults()));
            }
        }
        return out;
    }

    /** {@code {"schema": "peopleseg.spark-metrics/1", "images", "detections", "bbox": {"stats", "stat_names"}, ...}}. */
    static void write(Path file, Map<IouType, CocoEvalResult> results) throws IOException {
        StringBuilder json = new StringBuilder("{\"schema\": \"peopleseg.spark-metrics/1\"");
        CocoEvalResult any = results.values().iterator().next();
        json.append(", \"images\": ").append(any.imageCount()).append(", \"detections\": ")
                .append(any.detectionCount());
        for (Map.Entry<IouType, CocoEvalResult> e : results.entrySet()) {
            json.append(",\n \"").append(e.getKey().cocoName()).append("\": {\"stats\": [");
            double[] s = e.getValue().stats();
            for (int i = 0; i < s.length; i++) {
                json.append(i == 0 ? "" : ", ").append(s[i]);
            }
            json.append("], \"stat_names\": [");
            for (int i = 0; i < CocoEvalResult.STAT_NAMES.size(); i++) {
                json.append(i == 0 ? "" : ", ").append('"').append(CocoEvalResult.STAT_NAMES.get(i)).append('"');
            }
            json.append("]}");
        }
        json.append("}\n");
        AtomicFiles.writeString(file, json.toString());
    }
}
