package org.peopleseg.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peopleseg.video.SharedFiles;

/** Network sources that drop: reconnection with continued numbering, giving up, and a real HTTP server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectingSourceTest {
    private static final BufferedImage IMG = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
    private static final SourceSpec SPEC = SourceSpec.of("rtsp://camera.local/stream").withNetwork(1000, 3);

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<Long> pauses = new CopyOnWriteArrayList<>();

    /** Yields {@code n} frames (indices and timestamps from 0, as a fresh decoder does), then fails. */
    private static final class Dropping implements FrameSource {
        final int n;
        final boolean endInsteadOfError;
        int i;
        boolean closed;

        Dropping(int n, boolean endInsteadOfError) {
            this.n = n;
            this.endInsteadOfError = endInsteadOfError;
        }

        @Override
        public VideoFrame read() throws SourceException {
            if (closed) {
                throw new IllegalStateException("read after close");
            }
            if (i < n) {
                return new VideoFrame(i, i * 40.0, IMG, System.nanoTime() + i++);
            }
            if (endInsteadOfError) {
                return null;
            }
            throw new SourceException("rtsp://camera.local/stream: connection reset by peer");
        }

        @Override
        public double frameRate() {
            return 25;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private ReconnectingSource source(ReconnectingSource.Opener opener) {
        return new ReconnectingSource(SPEC, opener, warnings::add, pauses::add);
    }

    @Test
    void reconnectsAndContinuesNumbering() throws Exception {
        List<Dropping> opened = new ArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        ReconnectingSource s = source(() -> {
            opens.incrementAndGet();
            Dropping d = new Dropping(5, opened.size() % 2 == 1); // errors and clean ends alternate
            opened.add(d);
            return d;
        });
        List<Long> idx = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            VideoFrame f = s.read();
            assertNotNull(f);
            idx.add(f.index());
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(i, idx.get(i), "numbering continues across reconnections");
        }
        assertEquals(4, opens.get());
        // the constructor does not connect (open() does): its first read's open is counted too
        assertEquals(4, s.reconnects());
        assertTrue(opened.subList(0, 3).stream().allMatch(d -> d.closed), "a dropped decoder is closed");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("connection reset") && w.contains("reconnecting")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("the stream ended")), warnings.toString());
        assertTrue(pauses.stream().allMatch(p -> p == ReconnectingSource.FIRST_PAUSE_MS),
                "one failure at a time: always the first pause " + pauses);
        assertEquals(25, s.frameRate());
        s.close();
        assertTrue(opened.get(3).closed);
        assertNull(s.read(), "a closed source ends");
    }

    @Test
    void timestampsNeverGoBackAcrossReconnections() throws Exception {
        // every new connection's decoder starts its clock at 0 again
        ReconnectingSource s = source(() -> new Dropping(5, false));
        double last = -1;
        for (int i = 0; i < 30; i++) {
            VideoFrame f = s.read();
            assertTrue(f.timestampMs() >= last, "frame " + i + ": " + f.timestampMs() + " after " + last);
            if (i % 5 != 0) {
                assertEquals(40, f.timestampMs() - last, 1e-9, "the spacing within a connection is kept");
            }
            last = f.timestampMs();
        }
        assertTrue(last >= 5 * 160, "six connections of 160 ms each: " + last);
    }

    @Test
    void staticOpenConnectsAtOnceAndDoesNotCountIt() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        ReconnectingSource s = ReconnectingSource.open(SPEC, () -> {
            opens.incrementAndGet();
            return new Dropping(3, false);
        }, warnings::add);
        assertEquals(1, opens.get());
        assertEquals(0, s.reconnects());
        assertEquals(0, s.read().index());
        s.close();
        SourceException e = assertThrows(SourceException.class, () -> ReconnectingSource.open(SPEC, () -> {
            throw new SourceException("rtsp://camera.local/stream: cannot open: Connection refused");
        }, warnings::add));
        assertTrue(e.getMessage().contains("Connection refused"), "a wrong URL fails at start: " + e.getMessage());
    }

    @Test
    void givesUpAfterMaxReconnectsConsecutiveFailures() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        ReconnectingSource s = source(() -> {
            if (opens.incrementAndGet() == 1) {
                return new Dropping(4, false);
            }
            throw new SourceException("rtsp://camera.local/stream: cannot open: Connection refused");
        });
        for (int i = 0; i < 4; i++) {
            assertEquals(i, s.read().index());
        }
        pauses.clear(); // the constructor does not connect: the first read paused once before its open
        SourceException e = assertThrows(SourceException.class, s::read);
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
        assertTrue(e.getMessage().contains("rtsp://camera.local/stream"), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), "the last error is kept: " + e.getMessage());
        assertEquals(1 + SPEC.maxReconnects(), opens.get(), "the first open, then maxReconnects attempts");
        assertEquals(List.of(500L, 1000L, 2000L), pauses, "growing pauses");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("attempt 3 of 3")), warnings.toString());
    }

    @Test
    void pausesGrowToTenSecondsAtMost() throws Exception {
        SourceSpec many = SPEC.withNetwork(1000, 8);
        AtomicInteger opens = new AtomicInteger();
        ReconnectingSource s = new ReconnectingSource(many, () -> {
            if (opens.incrementAndGet() == 1) {
                return new Dropping(1, true);
            }
            throw new SourceException("down");
        }, warnings::add, pauses::add);
        assertNotNull(s.read());
        pauses.clear();
        assertThrows(SourceException.class, s::read);
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L, 10_000L), pauses);
    }

    @Test
    void aSuccessfulReconnectionResetsTheFailureCount() throws Exception {
        // fails twice, connects, yields one frame, drops; fails twice again, connects ...: never 3 in a row
        AtomicInteger opens = new AtomicInteger();
        ReconnectingSource s = source(() -> {
            int k = opens.incrementAndGet();
            if (k % 3 != 0) {
                throw new SourceException("refused " + k);
            }
            return new Dropping(1, false);
        });
        for (int i = 0; i < 5; i++) {
            assertEquals(i, s.read().index());
        }
        assertEquals(5, s.reconnects());
    }

    @Test
    void zeroReconnectsGivesUpAtTheFirstDrop() throws Exception {
        ReconnectingSource s = ReconnectingSource.open(SPEC.withNetwork(1000, 0), () -> new Dropping(2, false),
                warnings::add);
        s.read();
        s.read();
        SourceException e = assertThrows(SourceException.class, s::read);
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
    }

    @Test
    void interruptedWhilePausingEndsTheSource() throws Exception {
        ReconnectingSource s = new ReconnectingSource(SPEC, () -> new Dropping(1, false), warnings::add, ms -> {
            throw new InterruptedException();
        });
        assertNull(s.read());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the reader thread");
    }

    /**
     * A real FFmpeg HTTP stream of vtest.avi whose first response is cut off after ~30 % of the bytes; later
     * responses serve the whole file. The source reconnects and goes on numbering past 795 frames.
     */
    @Test
    void httpStreamCutOffMidwayReconnects() throws Exception {
        Path vtest = SharedFiles.vtest();
        byte[] data = Files.readAllBytes(vtest);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/vtest.avi", ex -> {
            int k = requests.incrementAndGet();
            try (ex) {
                ex.getResponseHeaders().add("Content-Type", "video/x-msvideo");
                // no Accept-Ranges and Range requests ignored: FFmpeg treats the stream as not seekable
                ex.sendResponseHeaders(200, data.length);
                OutputStream out = ex.getResponseBody();
                int n = k == 1 ? (int) (data.length * 0.3) : data.length;
                for (int off = 0; off < n; off += 65536) {
                    out.write(data, off, Math.min(65536, n - off));
                }
                if (k == 1) {
                    out.flush();
                    // cut the connection with bytes still owed
                    throw new IOException("cut off on purpose");
                }
            } catch (IOException ignored) {
                // the client went away or the cut above
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/vtest.avi";
            SourceSpec spec = SourceSpec.of(url).withNetwork(3000, 2);
            assertEquals(SourceKind.NETWORK, spec.kind());
            assertEquals("vtest", spec.name());
            long frames = 0;
            double lastTs = -1;
            long reconnects;
            String ended = null;
            long t0 = System.nanoTime();
            try (FrameSource s = FrameSources.open(spec, warnings::add)) {
                try {
                    VideoFrame f;
                    while (frames <= 795 && (f = s.read()) != null) {
                        assertEquals(frames, f.index());
                        assertEquals(768, f.width());
                        assertTrue(f.timestampMs() >= lastTs, "frame " + frames + " at " + f.timestampMs()
                                + " ms after " + lastTs + " ms: a reconnection restarted the clock");
                        lastTs = f.timestampMs();
                        frames++;
                    }
                } catch (SourceException e) {
                    ended = e.getMessage();
                }
                reconnects = s.reconnects();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(reconnects >= 1, "reconnects " + reconnects + ", frames " + frames + ", ended " + ended
                    + ", requests " + requests + ", warnings " + warnings);
            assertTrue(frames > 795, "frames " + frames + " (" + ended + ")");
            assertTrue(warnings.stream().anyMatch(w -> w.contains("reconnecting")), warnings.toString());
            assertTrue(secs < 30, "took " + secs + " s");
        } finally {
            server.stop(0);
        }
    }
}
