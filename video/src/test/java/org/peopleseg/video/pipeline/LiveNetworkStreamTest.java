package org.peopleseg.video.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peopleseg.video.sink.FrameSink;
import org.peopleseg.video.source.SourceKind;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;

/**
 * A live network camera as IP cameras serve it: an endless MJPEG stream over HTTP (multipart/x-mixed-replace) at
 * 20 fps, read by FFmpeg. The first connection stalls after 40 frames without closing (a frozen camera or a dead
 * network path), so only the read timeout can notice; the second serves for good. With a model slower than the
 * camera the pipeline must drop to the newest frame, reconnect after the timeout and keep going.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveNetworkStreamTest {
    private static final int CAMERA_FPS = 20;
    private static final long MODEL_MS = 100;
    private static final String BOUNDARY = "frameboundary";

    private HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean stopping;

    @BeforeEach
    void startCamera() throws IOException {
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jpegs.add(jpeg(i));
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/video.mjpg", exchange -> {
            int connection = connections.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace;boundary=" + BOUNDARY);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int k = 0; !stopping; k++) {
                    if (connection == 1 && k == 40) {
                        while (!stopping) { // stall: connection open, no bytes
                            sleep(50);
                        }
                        return;
                    }
                    byte[] img = jpegs.get(k % jpegs.size());
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + img.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(img);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sleep(1000 / CAMERA_FPS);
                }
            } catch (IOException clientWentAway) {
                // the pipeline closed this connection
            }
        });
        server.start();
    }

    @AfterEach
    void stopCamera() {
        stopping = true;
        server.stop(0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A 320x240 frame with a moving block, so frames differ. */
    private static byte[] jpeg(int i) throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.ORANGE);
        g.fillRect(10 + 12 * i, 60, 40, 120);
        g.dispose();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", buf);
        return buf.toByteArray();
    }

    @Test
    void slowModelOnAStallingCameraDropsFramesReconnectsAndStaysCurrent() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/video.mjpg";
        SourceSpec spec = SourceSpec.of(url).withNetwork(1000, 5);
        assertEquals(SourceKind.NETWORK, spec.kind());
        assertEquals("video", spec.name());
        List<long[]> seen = new CopyOnWriteArrayList<>(); // frame number, read nanos, written nanos
        SinkFactory recorder = (source, w, h, fps) -> List.of(new FrameSink() {
            @Override
            public void write(FrameResult r) {
                seen.add(new long[] {r.frameNumber(), r.frame().readNanos(), System.nanoTime()});
            }

            @Override
            public void close() {}
        });
        StringWriter log = new StringWriter();
        // 6 s: ~2 s of frames, a 1 s timeout and a reconnection pause, then frames again
        StreamOptions o = new StreamOptions(1, 40, 4, TrackerConfig.defaults(), 0, 0, 6);
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(MODEL_MS, 0), "slow.onnx", List.of(spec),
                recorder, o, new PrintWriter(log, true)).run();
        StreamSummary.Source src = s.sources().get(0);
        String info = src + "\n" + log;
        System.out.println("MJPEG camera: " + src.framesWritten() + " written, " + src.framesDropped() + " dropped, "
                + src.reconnects() + " reconnects, latency p95 " + src.latencyMs().p95() + " ms; log: " + log);

        assertTrue(src.live(), info);
        assertEquals(null, src.error(), info);
        assertTrue(src.reconnects() >= 1, "the stalled connection was given up and reopened: " + info);
        assertTrue(connections.get() >= 2, "connections " + connections.get());
        assertTrue(log.toString().contains("reconnecting"), info);
        assertTrue(src.framesDropped() > 0, "a 10 fps model on a 20 fps camera drops frames: " + info);
        assertEquals(src.framesRead(), src.framesWritten() + src.framesDropped(), info);
        assertTrue(src.framesWritten() >= 20, "frames before and after the outage were processed: " + info);
        // frames from the second connection were processed (numbering continues past the 40 of the first)
        long last = seen.get(seen.size() - 1)[0];
        assertTrue(last > 40, "last frame " + last + ": " + info);
        // bounded latency: decode to written within a few model runs, never a backlog
        assertTrue(src.latencyMs().p95() < 5 * MODEL_MS + 300, "latency p95 " + src.latencyMs().p95() + ": " + info);
    }
}
