package org.peopleseg.models.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.io.Sha256;

/** The Mask R-CNN recipe on real torch.save files that are not torchvision's COCO checkpoint: no package. */
class PackageMakerTest {
    @TempDir
    Path tmp;

    private Path checkpoint(String fixture) throws Exception {
        String b64 = new String(getClass().getResourceAsStream("/torch/" + fixture + ".b64").readAllBytes())
                .replaceAll("\\s", "");
        Path f = tmp.resolve(fixture);
        Files.write(f, Base64.getDecoder().decode(b64));
        return f;
    }

    private PullException pull(Path file) throws Exception {
        CatalogEntry real = Catalog.builtIn().find("maskrcnn-r50-fpn-coco").orElseThrow();
        // the catalogue's entry with the fixture's own hash prefix, so it passes the check and reaches packaging
        HashCheck prefix = new HashCheck(java.util.HexFormat.of().formatHex(Sha256.digest(file)).substring(0, 8));
        CatalogEntry entry = new CatalogEntry(real.name(), real.kind(), real.description(), real.file(), real.url(),
                real.revision(), 0, real.approxBytes(), prefix, real.licence(), true, real.packages());
        ModelPuller puller = new ModelPuller(new ModelPuller.Settings(new ModelCache(tmp.resolve("cache")), null,
                new Downloader.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1)));
        return assertThrows(PullException.class, () -> puller.pull(entry, file, TransferListener.NONE));
    }

    @Test
    void aCheckpointThatDoesNotFitMakesNoPackage() throws Exception {
        PullException e = pull(checkpoint("tiny_state_dict.pt"));
        assertTrue(e.getMessage().startsWith("maskrcnn-r50-fpn-coco: cannot make "), e.getMessage());
        assertTrue(e.getMessage().contains("does not fit torchvision's Mask R-CNN R50-FPN ("), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(Files.exists(tmp.resolve("cache/maskrcnn-r50-fpn-coco-person-960x576.onnx")));
        try (var s = Files.list(tmp.resolve("cache"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no half-written package");
        }
    }

    @Test
    void aPickleThatWouldRunCodeIsRefusedByName() throws Exception {
        PullException e = pull(checkpoint("malicious_os_system.pt"));
        assertTrue(e.getMessage().contains("os"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache/maskrcnn-r50-fpn-coco-person-960x576.onnx")));
        assertTrue(List.of(e.getMessage().split("\n")).size() == 1, e.getMessage());
    }
}
