package org.peopleseg.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.SharedData;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoResultsReader;
import org.peopleseg.core.eval.MetricsReport;

/** The report of the shared dev fixture (pycocotools-checked numbers), with COCO pictures where they exist. */
class ReportFixtureTest {

    @Test
    void devFixtureReport(@TempDir Path dir) throws Exception {
        Path fixture = SharedData.resolve("fixtures/coco-eval/dev");
        Path images = SharedData.dirOrNull().resolve("data/coco-person/images");
        CocoDataset gt = CocoDataset.read(fixture.resolve("gt.json"));
        List<CocoDetection> dets = CocoResultsReader.read(fixture.resolve("results_poor.json"), gt);
        MetricsReport metrics = MetricsReport.compute(gt, dets, 0.5, "source");
        long t0 = System.nanoTime();
        Path file = EvaluationReport.write(dir, metrics, gt, dets, new ReportOptions()
                .imageDir(Files.isDirectory(images) ? images : null)
                .datasetInfo(DatasetInfo.read(fixture.resolve("gt.json"))));
        System.out.printf("report.html of %d images, %d detections: %.2f s, %d KB%n", gt.images().size(),
                dets.size(), (System.nanoTime() - t0) / 1e9, Files.size(file) / 1024);
        String html = Files.readString(file);
        ReportGenerationTest.parse(html);
        assertEquals(4, ReportGenerationTest.dataUris(html, "image/png").size());
        assertEquals(2 * ReportOptions.DEFAULT_GALLERY_SIZE, ReportGenerationTest.dataUris(html, "image/jpeg").size());
        // the COCO stats as pycocotools prints them (3 decimals) are in the table
        double ap = metrics.section(org.peopleseg.core.eval.IouType.SEGM).orElseThrow().coco().stats()[0];
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "<td>%.3f</td>", ap)));
        assertTrue(html.contains("staticflickr.com"), "COCO pictures carry their Flickr source");
        assertTrue(html.contains("Licence: "));
    }
}
