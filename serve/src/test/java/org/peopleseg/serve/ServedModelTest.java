package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;

/**
 * The decode pipeline of one instance: while request A runs on the session, request B decodes its picture (so
 * decoding overlaps inference), and request C does not decode until B has taken the session (so at most one decoded
 * picture waits per instance). {@link ServedModel#pending()} tells where a request is when its decoder is called:
 * B, decoding while A runs, sees itself waiting (1; decoding on the session, as before, would see 0); C sees only
 * itself (1; an unbounded pipeline would see B still waiting too: 2).
 */
class ServedModelTest {
    @TempDir
    Path dir;

    @Test
    void theNextPictureDecodesWhileTheCurrentOneRunsAndNoFurther() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path file = TestModels.maskRcnn(models.resolve("m.onnx"), 320, 256);
        BufferedImage picture = ImageReader.read(MalformedRequestsTest.jpeg(320, 240), "test picture");
        ServedModel model = ServedModel.open("m", file, ServeOptions.defaults(models).withConcurrency(1, 4, 1));
        try {
            long timeout = TimeUnit.SECONDS.toNanos(120);
            CountDownLatch aDecoded = new CountDownLatch(1);
            CountDownLatch bDecoded = new CountDownLatch(1);
            AtomicInteger pendingAtB = new AtomicInteger(-1);
            AtomicInteger pendingAtC = new AtomicInteger(-1);
            CompletableFuture<ServedModel.Outcome> a = CompletableFuture.supplyAsync(() -> run(model, () -> {
                aDecoded.countDown();
                return picture;
            }, timeout));
            assertEquals(true, aDecoded.await(60, TimeUnit.SECONDS));
            // A holds the session within microseconds of its decode; its inference takes far longer (100s of ms)
            CompletableFuture<ServedModel.Outcome> b = CompletableFuture.supplyAsync(() -> run(model, () -> {
                pendingAtB.set(model.pending());
                bDecoded.countDown();
                return picture;
            }, timeout));
            assertEquals(true, bDecoded.await(60, TimeUnit.SECONDS));
            CompletableFuture<ServedModel.Outcome> c = CompletableFuture.supplyAsync(() -> run(model, () -> {
                pendingAtC.set(model.pending());
                return picture;
            }, timeout));
            for (CompletableFuture<ServedModel.Outcome> f : java.util.List.of(a, b, c)) {
                assertNotNull(f.get(300, TimeUnit.SECONDS).detections());
            }
            assertEquals(1, pendingAtB.get(), "B decodes while A runs, before it holds the session");
            assertEquals(1, pendingAtC.get(), "C decodes only once B holds the session");
            assertEquals(0, model.pending());
        } finally {
            model.retire();
        }
    }

    private static ServedModel.Outcome run(ServedModel model, ServedModel.ImageSource source, long timeout) {
        try {
            return model.segment(source, "image", timeout);
        } catch (ServeException e) {
            throw new IllegalStateException(e);
        }
    }
}
