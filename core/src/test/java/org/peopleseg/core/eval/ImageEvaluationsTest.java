package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.SharedData;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.dataset.CocoResultsReader;

/**
 * Evaluating parts of the images apart (as Spark executors do), sending them through Java serialization and merging
 * them gives pycocotools' numbers exactly, whatever the split.
 */
class ImageEvaluationsTest {

    @Test
    void partsEvaluatedApartAndMergedEqualPycocotools() throws Exception {
        Path dir = SharedData.resolve("fixtures/coco-eval/dev");
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        CocoDataset gt = CocoDataset.read(dir.resolve("gt.json"));
        List<CocoDetection> dts = CocoResultsReader.read(dir.resolve("results_good.json"), gt);
        for (IouType type : IouType.values()) {
            double[] want = doubles(expected.get("results").get("results_good.json").get(type.cocoName())
                    .get("stats"));
            for (int parts : new int[] {1, 3, 7}) {
                List<ImageEvaluations> evaluated = new ArrayList<>();
                // interleaved split: every part holds images from all over the id range
                for (int p = parts - 1; p >= 0; p--) {
                    List<CocoImage> mine = new ArrayList<>();
                    for (int i = p; i < gt.images().size(); i += parts) {
                        mine.add(gt.images().get(i));
                    }
                    CocoDataset part = restrict(gt, mine);
                    Set<Long> ids = ids(mine);
                    List<CocoDetection> partDts = dts.stream().filter(d -> ids.contains(d.imageId())).toList();
                    evaluated.add(roundTrip(ImageEvaluations.evaluate(part, partDts, type,
                            CocoEvalParams.defaults())));
                }
                CocoEvalResult r = ImageEvaluations.merge(evaluated).accumulate(CocoEvalParams.defaults());
                assertArrayEquals(want, r.stats(), 0.0, type + " in " + parts + " parts");
                assertArrayEquals(CocoEvaluator.evaluate(gt, dts, type).stats(), r.stats(), 0.0);
                assertEquals(gt.images().size(), r.imageCount());
                assertEquals(dts.size(), r.detectionCount());
            }
        }
    }

    @Test
    void anImageInTwoPartsIsRefused() throws IOException {
        CocoDataset gt = EvalFixtures.dataset(2, EvalFixtures.person(1, 1, 10, 10, 50, 50));
        ImageEvaluations a = ImageEvaluations.evaluate(gt, List.of(), IouType.BBOX, CocoEvalParams.defaults());
        assertThrows(IllegalArgumentException.class, () -> ImageEvaluations.merge(List.of(a, a)));
        ImageEvaluations segm = ImageEvaluations.evaluate(gt, List.of(), IouType.SEGM, CocoEvalParams.defaults());
        assertThrows(IllegalArgumentException.class, () -> ImageEvaluations.merge(List.of(a, segm)));
    }

    private static ImageEvaluations roundTrip(ImageEvaluations e) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buf.toByteArray()))) {
            return (ImageEvaluations) in.readObject();
        }
    }

    private static CocoDataset restrict(CocoDataset gt, List<CocoImage> keep) throws IOException {
        Set<Long> ids = ids(keep);
        List<CocoAnnotation> anns = gt.annotations().stream().filter(a -> ids.contains(a.imageId())).toList();
        return CocoDataset.of(gt.source(), keep, anns, gt.categories());
    }

    private static Set<Long> ids(List<CocoImage> images) {
        Set<Long> ids = new HashSet<>();
        images.forEach(im -> ids.add(im.id()));
        return ids;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
