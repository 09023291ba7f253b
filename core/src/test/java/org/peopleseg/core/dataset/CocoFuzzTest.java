package org.peopleseg.core.dataset;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.core.result.CocoResultsWriter;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

/**
 * Coverage-guided fuzzing of the COCO readers (README "Fuzzing"): ground-truth annotations, results files, and
 * pycocotools' compressed RLE strings, each followed by what the evaluator does next (every mask decoded).
 *
 * <p>Documented outcomes: the readers return or throw {@link IOException} ({@link CocoFormatException} naming the
 * file and entry); {@link Rle#fromCompressedString} and the masks' {@code toRle} throw
 * {@link IllegalArgumentException} for malformed runs; always with a message. Anything else, an
 * {@link OutOfMemoryError} or {@link StackOverflowError} (Jackson's nesting limit must hold) included, or an input
 * taking over a second, is a finding.
 */
class CocoFuzzTest {
    /** The ground truth a results file is checked against: two small images, a polygon and an RLE. */
    static final String GROUND_TRUTH = """
            {"images": [{"id": 1, "file_name": "a.jpg", "width": 64, "height": 48},
                        {"id": 2, "file_name": "b.jpg", "width": 20, "height": 10}],
             "annotations": [
               {"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 3, 20, 30], "area": 450, "iscrowd": 0,
                "segmentation": [[2, 3, 22, 3, 22, 33, 2, 33]]},
               {"id": 2, "image_id": 2, "category_id": 1, "bbox": [0, 0, 5, 5], "area": 25, "iscrowd": 1,
                "segmentation": {"size": [10, 20], "counts": [0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 155]}},
               {"id": 3, "image_id": 2, "category_id": 1, "bbox": [1, 1, 2, 2], "area": 4, "iscrowd": 0,
                "segmentation": {"size": [10, 20], "counts": ";280Y5"}}],
             "categories": [{"id": 1, "name": "person"}]}
            """;

    static Stream<byte[]> groundTruths() {
        return Stream.of(GROUND_TRUTH, "{\"images\": [], \"annotations\": [], \"categories\": []}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** What {@link CocoResultsWriter} writes for boxes and masks on the two ground-truth images. */
    static Stream<byte[]> writtenResults() throws IOException {
        Path dir = Files.createTempDirectory("coco-fuzz");
        Path file = dir.resolve("results.json");
        try (CocoResultsWriter writer = CocoResultsWriter.open(file)) {
            byte[] pixels = new byte[64 * 48];
            for (int i = 100; i < 900; i++) {
                pixels[i] = 1;
            }
            writer.add(1, new Detections("a.jpg", 64, 48, List.of(
                    new Instance(new Box(2, 3, 22, 33), 0.9, 1, "person", new BitMask(64, 48, pixels)),
                    new Instance(new Box(0, 0, 5, 5), 0.4, 1, "person", null))));
            writer.add(2, new Detections("b.jpg", 20, 10, List.of()));
            writer.finish();
            return Stream.of(Files.readAllBytes(file), "[]".getBytes(StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @MethodSource("groundTruths")
    @FuzzTest
    void annotations(byte[] input) {
        try {
            CocoDataset gt = CocoDataset.parse(new ByteArrayInputStream(input), "fuzz.json");
            for (CocoAnnotation a : gt.annotations()) {
                CocoImage image = gt.image(a.imageId()).orElseThrow();
                decode(a.segmentation(), image);
            }
        } catch (IOException e) {
            explained(e);
        }
    }

    @MethodSource("writtenResults")
    @FuzzTest
    void results(byte[] input) throws IOException {
        CocoDataset gt = CocoDataset.parse(GROUND_TRUTH, "gt.json");
        try {
            for (CocoDetection d : CocoResultsReader.parse(new ByteArrayInputStream(input), "fuzz.json", gt)) {
                decode(d.segmentation(), gt.image(d.imageId()).orElseThrow());
            }
        } catch (IOException e) {
            explained(e);
        }
    }

    /** pycocotools' rleFrString on an image size of the fuzzer's choosing (up to 4096 pixels a side). */
    @FuzzTest
    void compressedRle(FuzzedDataProvider data) {
        int height = data.consumeInt(0, 4096);
        int width = data.consumeInt(0, 4096);
        try {
            Rle.fromCompressedString(height, width, data.consumeRemainingAsAsciiString()).area();
        } catch (IllegalArgumentException e) {
            explained(e);
        }
    }

    private static void decode(CocoSegmentation segmentation, CocoImage image) {
        if (segmentation == null) {
            return;
        }
        try {
            segmentation.toRle(image.height(), image.width());
        } catch (IllegalArgumentException e) {
            explained(e);
        }
    }

    private static void explained(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a message", e);
        }
    }
}
