package org.peopleseg.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoResultsReader;
import org.peopleseg.core.eval.MetricsReport;
import org.peopleseg.core.mask.BitMask;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** report.html from a tiny hand-made ground truth and results. */
class ReportGenerationTest {
    /**
     * Three 200x120 images: 1 has two people (polygons) and a picture on disk, 2 has a person and a crowd region
     * (uncompressed RLE), 3 has nobody. Licences and Flickr urls as in COCO; a camera_height tag to group by.
     */
    static final String GT = """
            {"info": {"description": "tiny test set", "url": "https://example.org/tiny"},
             "licenses": [{"id": 4, "name": "Attribution License", "url": "http://creativecommons.org/licenses/by/2.0/"}],
             "categories": [{"id": 1, "name": "person"}],
             "images": [
               {"id": 1, "file_name": "one.png", "width": 200, "height": 120, "license": 4,
                "flickr_url": "http://farm1.staticflickr.com/1/one_z.jpg", "camera_height": "10ft"},
               {"id": 2, "file_name": "two.png", "width": 200, "height": 120, "license": 4,
                "flickr_url": "http://farm1.staticflickr.com/2/two_z.jpg", "camera_height": "20ft"},
               {"id": 3, "file_name": "three.png", "width": 200, "height": 120, "camera_height": "10ft"}],
             "annotations": [
               {"id": 11, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 80], "area": 3200, "iscrowd": 0,
                "segmentation": [[10, 10, 50, 10, 50, 90, 10, 90]]},
               {"id": 12, "image_id": 1, "category_id": 1, "bbox": [120, 20, 30, 60], "area": 1800, "iscrowd": 0,
                "segmentation": [[120, 20, 150, 20, 150, 80, 120, 80]]},
               {"id": 21, "image_id": 2, "category_id": 1, "bbox": [60, 30, 40, 60], "area": 2400, "iscrowd": 0,
                "segmentation": [[60, 30, 100, 30, 100, 90, 60, 90]]},
               {"id": 22, "image_id": 2, "category_id": 1, "bbox": [150, 0, 50, 120], "area": 6000, "iscrowd": 1,
                "segmentation": {"size": [120, 200], "counts": [18000, 6000]}}]}
            """;

    /** Image 1: one hit, one miss, a false detection; image 2: hit + detection in the crowd; image 3: a false one. */
    static final String RESULTS = """
            [{"image_id": 1, "category_id": 1, "bbox": [11, 11, 39, 78], "score": 0.92,
              "segmentation": [[11, 11, 50, 11, 50, 89, 11, 89]]},
             {"image_id": 1, "category_id": 1, "bbox": [70, 60, 30, 40], "score": 0.81,
              "segmentation": [[70, 60, 100, 60, 100, 100, 70, 100]]},
             {"image_id": 1, "category_id": 1, "bbox": [120, 20, 30, 60], "score": 0.30,
              "segmentation": [[120, 20, 150, 20, 150, 80, 120, 80]]},
             {"image_id": 2, "category_id": 1, "bbox": [61, 31, 38, 58], "score": 0.88,
              "segmentation": [[61, 31, 99, 31, 99, 89, 61, 89]]},
             {"image_id": 2, "category_id": 1, "bbox": [155, 10, 40, 100], "score": 0.70,
              "segmentation": [[155, 10, 195, 10, 195, 110, 155, 110]]},
             {"image_id": 3, "category_id": 1, "bbox": [5, 5, 20, 20], "score": 0.60,
              "segmentation": [[5, 5, 25, 5, 25, 25, 5, 25]]}]
            """;

    @Test
    void writesASelfContainedWellFormedPage(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        BufferedImage pic = new BufferedImage(200, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = pic.createGraphics();
        g.setColor(new Color(0x8fb3d9));
        g.fillRect(0, 0, 200, 120);
        g.dispose();
        ImageIO.write(pic, "png", images.resolve("one.png").toFile());

        CocoDataset gt = CocoDataset.parse(GT, "gt.json");
        List<CocoDetection> dets = CocoResultsReader.parse(RESULTS, "results.json", gt);
        MetricsReport metrics = MetricsReport.compute(gt, dets, 0.5, "camera_height");
        DatasetInfo info = DatasetInfo.read(new ByteArrayInputStream(GT.getBytes(StandardCharsets.UTF_8)));
        assertEquals("Attribution License", info.licences().get("4").name());
        assertEquals("tiny test set", info.description());

        Path out = dir.resolve("out");
        Path file = EvaluationReport.write(out, metrics, gt, dets, new ReportOptions()
                .title("tiny <evaluation> & test").modelDescription("model.onnx: maskrcnn fp32")
                .groundTruthName("gt.json").resultsName("results.json").imageDir(images).datasetInfo(info)
                .note("a note"));
        assertEquals(out.resolve("report.html"), file);
        String html = Files.readString(file);

        Document doc = parse(html);
        Set<String> ids = new HashSet<>();
        NodeList sections = doc.getElementsByTagName("section");
        for (int i = 0; i < sections.getLength(); i++) {
            ids.add(((Element) sections.item(i)).getAttribute("id"));
        }
        assertTrue(ids.containsAll(List.of("glance", "run", "kpi", "groups", "coco", "charts", "sweep", "gallery",
                "definitions")), ids.toString());
        assertEquals("tiny <evaluation> & test", doc.getElementsByTagName("title").item(0).getTextContent());

        // charts: PR and sweep for bbox and segm; gallery: images 1 and 3 have errors (image 2's second
        // detection lies in the crowd region: ignored), 2 thumbnails each
        List<String> pngs = dataUris(html, "image/png");
        List<String> jpegs = dataUris(html, "image/jpeg");
        assertEquals(4, pngs.size());
        assertEquals(4, jpegs.size());
        for (String b64 : pngs.subList(0, 1)) {
            BufferedImage chart = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
            assertEquals(2 * ReportCharts.WIDTH, chart.getWidth());
        }
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(jpegs.get(0))));
        assertEquals(200, thumb.getWidth()); // never scaled up
        assertEquals(120, thumb.getHeight());

        // offline: nothing loaded from elsewhere (links to sources are fine)
        assertFalse(html.contains("src=\"http"));
        assertFalse(html.contains("<link"));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("@import"));

        // attribution under the COCO-style pictures, the note, no banner for a trained model
        assertTrue(html.contains("http://farm1.staticflickr.com/1/one_z.jpg"));
        assertTrue(html.contains("Attribution License"));
        assertTrue(html.contains("a note"));
        assertFalse(html.contains("untrained-banner"));
        assertTrue(html.contains("masks (segm)"));
        // image 1 has the most errors (FN 1 + FP 1): it comes first; its picture was found, the others were not
        String gallery = html.substring(html.indexOf("<section id=\"gallery\">"));
        assertTrue(gallery.indexOf("one.png") < gallery.indexOf("three.png"));
        assertFalse(gallery.contains("two.png"));
        assertTrue(gallery.contains("not found: " + images.resolve("three.png")));
    }

    @Test
    void untrainedModelsGetABanner(@TempDir Path dir) throws Exception {
        CocoDataset gt = CocoDataset.parse(GT, "gt.json");
        List<CocoDetection> dets = CocoResultsReader.parse(RESULTS, "results.json", gt);
        MetricsReport metrics = MetricsReport.compute(gt, dets, 0.5, null);
        String html = EvaluationReport.render(metrics, gt, dets, new ReportOptions().untrained(true)
                .modelDescription("deterministic formula weights, UNTRAINED").gallerySize(0));
        Document doc = parse(html);
        Element banner = doc.getElementById("untrained-banner");
        if (banner == null) { // no DTD: ids are not declared as IDs, look them up by hand
            NodeList divs = doc.getElementsByTagName("div");
            for (int i = 0; i < divs.getLength(); i++) {
                if ("untrained-banner".equals(((Element) divs.item(i)).getAttribute("id"))) {
                    banner = (Element) divs.item(i);
                }
            }
        }
        assertNotNull(banner);
        assertTrue(banner.getTextContent().contains("these numbers are NOT the product's accuracy"));
        // the banner comes before any number
        assertTrue(html.indexOf("untrained-banner") < html.indexOf("id=\"glance\""));
        assertFalse(html.contains("id=\"gallery\""));
        assertFalse(html.contains("id=\"groups\""));
    }

    @Test
    void boxOnlyGroundTruthHasNoMaskColumns(@TempDir Path dir) throws Exception {
        String boxes = GT.replaceAll(",\\s*\"segmentation\": \\[\\[[0-9, ]+\\]\\]", "")
                .replaceAll(",\\s*\"segmentation\": \\{[^}]*\\}", "");
        CocoDataset gt = CocoDataset.parse(boxes, "boxes.json");
        assertFalse(gt.hasMasks());
        List<CocoDetection> dets = CocoResultsReader.parse(RESULTS, "results.json", gt);
        MetricsReport metrics = MetricsReport.compute(gt, dets, 0.5, null);
        assertTrue(metrics.section(org.peopleseg.core.eval.IouType.SEGM).isEmpty());
        String html = EvaluationReport.render(metrics, gt, dets, new ReportOptions());
        parse(html);
        assertFalse(html.contains("masks (segm)"));
        assertTrue(html.contains("the ground truth has no masks"));
        assertEquals(2, dataUris(html, "image/png").size());
        assertEquals(4, dataUris(html, "image/jpeg").size());
    }

    @Test
    void emptyResultsAndEmptyGroundTruthStillRender() throws Exception {
        CocoDataset gt = CocoDataset.parse(GT, "gt.json");
        MetricsReport none = MetricsReport.compute(gt, List.of(), 0.5, "camera_height");
        String html = EvaluationReport.render(none, gt, List.of(), new ReportOptions());
        parse(html);
        assertTrue(html.contains("no detections"));
        assertEquals(4, dataUris(html, "image/png").size());
        assertEquals(4, dataUris(html, "image/jpeg").size()); // images 1 and 2 have misses

        String negatives = GT.substring(0, GT.indexOf("\"annotations\"")) + "\"annotations\": []}";
        CocoDataset empty = CocoDataset.parse(negatives, "negatives.json");
        List<CocoDetection> dets = CocoResultsReader.parse(RESULTS, "results.json", empty);
        MetricsReport m = MetricsReport.compute(empty, dets, 0.5, null);
        String html2 = EvaluationReport.render(m, empty, dets, new ReportOptions());
        parse(html2);
        assertTrue(html2.contains("n/a"));
        assertEquals(2, dataUris(html2, "image/png").size()); // bbox only: no masks in an empty ground truth
        assertEquals(6, dataUris(html2, "image/jpeg").size()); // every image has a false detection
    }

    @Test
    void masksScaleByCoverage() {
        byte[] px = new byte[40 * 20];
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                px[y * 40 + x] = 1; // left half set
            }
        }
        BitMask half = ReportGallery.scaleMask(new BitMask(40, 20, px), 10, 5);
        assertEquals(25, half.area());
        for (int y = 0; y < 5; y++) {
            assertTrue(half.get(4, y));
            assertFalse(half.get(5, y));
        }
    }

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> dataUris(String html, String mime) {
        Matcher m = Pattern.compile("src=\"data:" + Pattern.quote(mime) + ";base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
