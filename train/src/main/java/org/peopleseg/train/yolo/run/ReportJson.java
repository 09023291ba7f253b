package org.peopleseg.train.yolo.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.peopleseg.core.io.AtomicFiles;

/** report.json: the run's settings, the start package's and data's hashes, per-epoch metrics, the output. */
final class ReportJson {
    private ReportJson() {}

    static void write(Path file, FineTuneSettings s, FineTuneResult r, String modelSha, String dataSha)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = json.createObjectNode();
        o.put("start_package", s.model().toString()).put("start_package_sha256", modelSha);
        o.put("annotations", s.annotations().toString()).put("annotations_sha256", dataSha);
        o.put("images_dir", s.images().toString()).put("images", r.images()).put("skipped", r.skipped());
        if (s.idModulus() > 0) {
            o.put("image_ids", "id % " + s.idModulus() + " == " + s.idRemainder());
        }
        o.put("epochs", s.epochs()).put("freeze", s.freeze()).put("optimizer", r.optimizer()).put("seed", s.seed());
        o.set("hyperparameters", json.valueToTree(s.hyper()));
        o.set("augmentation", json.valueToTree(s.augmentation()));
        o.set("metrics_per_epoch", json.valueToTree(r.epochs()));
        o.put("model", r.model().toString());
        AtomicFiles.writeString(file, json.writeValueAsString(o) + "\n");
    }
}
