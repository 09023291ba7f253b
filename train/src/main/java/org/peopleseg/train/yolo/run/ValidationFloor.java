package org.peopleseg.train.yolo.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The start (eval/0) and the last evaluation of a run folder, for a floor on the gain. */
final class ValidationFloor {
    private ValidationFloor() {}

    /** @return {start, end} of {@code key} from eval/0/summary.json and the highest eval/STEP/summary.json */
    static double[] startAndEnd(Path runDir, String key) throws IOException {
        Path eval = runDir.resolve("eval");
        long last;
        try (Stream<Path> dirs = Files.list(eval)) {
            last = dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .filter(n -> Files.exists(eval.resolve(n).resolve("summary.json")))
                    .mapToLong(Long::parseLong).max().orElse(-1);
        }
        if (last <= 0 || !Files.exists(eval.resolve("0/summary.json"))) {
            throw new IOException(eval + ": no start and final evaluation to compare");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode start = json.readTree(eval.resolve("0/summary.json").toFile());
        JsonNode end = json.readTree(eval.resolve(Long.toString(last)).resolve("summary.json").toFile());
        return new double[] {start.path(key).asDouble(Double.NaN), end.path(key).asDouble(Double.NaN)};
    }
}
