package org.peopleseg.models.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.models.SharedDir;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;

/** Pulls through a local HTTP server standing in for the publisher or a mirror, and from local files. */
class ModelPullerTest {
    private static final Downloader.Settings FAST =
            new Downloader.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 3);

    @TempDir
    Path tmp;

    private static CatalogEntry dataEntry(String url, byte[] data) throws Exception {
        return new CatalogEntry("sample", "data", "a test file", "sample.bin", url, "test revision", data.length, 0,
                DownloaderTest.hashOf(data), "CC0", true, List.of());
    }

    private ModelPuller puller(String mirror) {
        return new ModelPuller(new ModelPuller.Settings(new ModelCache(tmp.resolve("cache")), mirror, FAST));
    }

    @Test
    void aMirrorServesTheSameFileNameInsteadOfThePublisher() throws Exception {
        byte[] data = DownloaderTest.content(80_000, 11);
        // the publisher's host is never contacted: .invalid cannot exist (RFC 2606)
        CatalogEntry entry = dataEntry("https://publisher.invalid/rev/sample.bin", data);
        try (TestFileServer mirror = new TestFileServer().serve("models/sample.bin", data)) {
            ModelPuller puller = puller(mirror.base() + "/models/");
            assertEquals(mirror.url("models/sample.bin"), puller.url(entry).toString());
            ModelPuller.Pulled pulled = puller.pull(entry, null, TransferListener.NONE);
            assertTrue(pulled.downloaded());
            assertEquals(mirror.url("models/sample.bin"), pulled.origin());
            assertEquals(List.of("/models/sample.bin"), mirror.requests().stream().map(r -> r.path()).toList());
            assertEquals(tmp.resolve("cache/sample.bin"), pulled.file());

            ModelPuller.Pulled again = puller.pull(entry, null, TransferListener.NONE);
            assertFalse(again.downloaded(), "a verified cached file is not fetched again");
            assertEquals(1, mirror.requests().size());
        }
    }

    @Test
    void aFailedDownloadSaysWhatToDoAndCachesNothing() throws Exception {
        byte[] data = DownloaderTest.content(1000, 12);
        try (TestFileServer mirror = new TestFileServer()) {
            CatalogEntry entry = dataEntry("https://publisher.invalid/rev/sample.bin", data);
            PullException e = assertThrows(PullException.class,
                    () -> puller(mirror.base()).pull(entry, null, TransferListener.NONE));
            assertEquals(mirror.url("sample.bin") + ": HTTP 404 Not Found (no such file at this URL; is the mirror "
                    + "complete?); get sample.bin another way and run 'peopleseg models pull sample --from FILE', "
                    + "or set PEOPLESEG_MODEL_MIRROR to a server that has it", e.getMessage());
            assertFalse(new ModelCache(tmp.resolve("cache")).isCached(entry));
        }
    }

    @Test
    void fromAFileIsCheckedLikeADownload() throws Exception {
        byte[] data = DownloaderTest.content(5000, 13);
        CatalogEntry entry = dataEntry("https://publisher.invalid/rev/sample.bin", data);
        Path good = tmp.resolve("downloads/sample.bin");
        Files.createDirectories(good.getParent());
        Files.write(good, data);
        Path bad = tmp.resolve("downloads/other.bin");
        byte[] other = data.clone();
        other[100] ^= 1;
        Files.write(bad, other);

        PullException e = assertThrows(PullException.class, () -> puller(null).pull(entry, bad, TransferListener.NONE));
        assertTrue(e.getMessage().startsWith(bad + ": 5000 bytes, SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("not sample's sample.bin (5000 bytes, SHA-256 "
                + entry.hash().hex() + "); nothing cached"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache/sample.bin")));

        ModelPuller.Pulled pulled = puller(null).pull(entry, good, TransferListener.NONE);
        assertEquals(good.toAbsolutePath().toUri().toString(), pulled.origin());
        assertTrue(Files.isRegularFile(tmp.resolve("cache/sample.bin")));
        assertEquals(entry.hash().hex(), pulled.sha256());
    }

    @Test
    void aCorruptedCachedFileIsFetchedAgain() throws Exception {
        byte[] data = DownloaderTest.content(9000, 14);
        CatalogEntry entry = dataEntry("https://publisher.invalid/rev/sample.bin", data);
        Files.createDirectories(tmp.resolve("cache"));
        Files.write(tmp.resolve("cache/sample.bin"), new byte[9000]);
        try (TestFileServer mirror = new TestFileServer().serve("sample.bin", data)) {
            ModelPuller.Pulled pulled = puller(mirror.base()).pull(entry, null, TransferListener.NONE);
            assertTrue(pulled.downloaded());
            assertEquals(entry.hash().hex(), pulled.sha256());
        }
    }

    /** The real catalogue entry end to end: the real file served by a local mirror, both packages made. */
    @Test
    void pullsYolo11nSegFromAMirrorAndRecordsTheSourceInBothPackages() throws Exception {
        Path tflite = SharedDir.require().resolve("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(tflite), "no " + tflite);
        CatalogEntry entry = Catalog.builtIn().find("yolo11n-seg").orElseThrow();
        try (TestFileServer mirror = new TestFileServer().serve(entry.file(), Files.readAllBytes(tflite))) {
            ModelCache cache = new ModelCache(tmp.resolve("cache"));
            ModelPuller puller = new ModelPuller(new ModelPuller.Settings(cache, mirror.base(), FAST));
            ModelResolver resolver = new ModelResolver(Catalog.builtIn(), cache, puller);
            Optional<Path> pkg = resolver.resolve("yolo11n-seg-int8-960x576", TransferListener.NONE);
            assertEquals(Optional.of(cache.dir().resolve("yolo11n-seg-int8-960x576.onnx")), pkg);
            assertTrue(cache.isCached(entry));
            for (PackageRecipe recipe : entry.packages()) {
                ModelMetadata meta = ModelMetadata.fromProperties(properties(cache.packageFile(recipe)));
                assertEquals(recipe.precision(), meta.precision());
                assertEquals(960, meta.inputWidth());
                assertEquals(List.of("person"), meta.labels());
                assertEquals("AGPL-3.0", meta.licence());
                assertEquals("yolo11n-seg", meta.source().name());
                assertEquals(mirror.url(entry.file()), meta.source().url());
                assertEquals(entry.hash().hex(), meta.source().sha256());
                assertTrue(meta.source().revision().contains("c7797ef4824083851be471b99e02773e1c67dea4"));
                assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), meta.source().retrieved());
                assertTrue(meta.provenance().contains("sha256=" + entry.hash().hex()), meta.provenance());
            }
            assertEquals(1, mirror.requests().size());
            // resolving again uses the cache
            assertEquals(Optional.of(cache.dir().resolve("yolo11n-seg-fp32-960x576.onnx")),
                    resolver.resolve("yolo11n-seg", TransferListener.NONE));
            assertEquals(1, mirror.requests().size());
            assertEquals(Optional.empty(), resolver.resolve("no-such-model", TransferListener.NONE));
        }
    }

    static Map<String, String> properties(Path onnx) throws Exception {
        ModelProto model;
        try (var in = Files.newInputStream(onnx)) {
            model = ModelProto.parseFrom(in);
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        return props;
    }
}
