package org.peopleseg.models.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.models.SharedDir;

class CatalogTest {
    private final Catalog catalog = Catalog.builtIn();

    @Test
    void listsTheModelsAndTheSampleVideo() {
        assertEquals(List.of("yolo11n-seg", "maskrcnn-r50-fpn-coco", "vtest.avi"), catalog.names());
        CatalogEntry yolo = catalog.find("yolo11n-seg").orElseThrow();
        assertEquals(3_748_188, yolo.bytes());
        assertFalse(yolo.permissive(), "AGPL-3.0 must be announced at pull time");
        assertEquals(List.of("yolo11n-seg-fp32-960x576.onnx", "yolo11n-seg-int8-960x576.onnx"),
                yolo.packages().stream().map(PackageRecipe::name).toList());
        assertEquals("peopleseg import --tflite yolo11n_256_quant_pc_ii_seg_coco-st.tflite --precision int8 "
                        + "--input-size 960x576 --classes person --licence 'AGPL-3.0' --output yolo11n-seg-int8-960x576.onnx",
                yolo.packages().get(1).commandLine(yolo.file(), yolo.licence()));
        assertEquals("yolo11n-seg", catalog.findByPackage("yolo11n-seg-int8-960x576").orElseThrow().name());
    }

    @Test
    void everyUrlIsPinnedToTheRevisionItNames() {
        for (CatalogEntry e : catalog.entries()) {
            assertTrue(e.url().endsWith("/" + e.file()), e.name());
            String rev = e.revision().split(" ")[e.revision().startsWith("git ") ? 1 : 2];
            assertTrue(e.url().contains(rev), e.name() + ": " + e.url() + " does not contain " + rev);
        }
    }

    @Test
    void theMaskRcnnPrefixIsTorchHubsRuleForItsFileName() {
        CatalogEntry m = catalog.find("maskrcnn-r50-fpn-coco").orElseThrow();
        assertTrue(m.hash().isPrefix());
        assertEquals(HashCheck.torchHubPrefix(m.file()), m.hash().hex());
        assertEquals("maskrcnn-r50-fpn-coco-person-960x576.onnx", m.defaultPackage().orElseThrow().name());
        assertEquals("build", m.defaultPackage().orElseThrow().tool());
    }

    @Test
    void theSharedCopiesAreTheCataloguesFiles() throws Exception {
        Path shared = SharedDir.require();
        check(catalog.find("yolo11n-seg").orElseThrow(),
                shared.resolve("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite"));
        check(catalog.find("vtest.avi").orElseThrow(), shared.resolve("data/vtest/vtest.avi"));
    }

    private static void check(CatalogEntry e, Path file) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(file), "no " + file);
        assertEquals(e.bytes(), Files.size(file), file.toString());
        assertEquals(e.hash().hex(), HexFormat.of().formatHex(Sha256.digest(file)), file.toString());
    }

    @Test
    void aBrokenCatalogueNamesTheEntryAndField() {
        String json = "{\"schema\": \"peopleseg.catalog/1\", \"entries\": [{\"name\": \"x\", \"kind\": \"model\"}]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Catalog.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("catalogue entry 'x': missing text field"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HashCheck("abc"));
    }
}
