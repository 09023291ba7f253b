package org.peopleseg.models.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server in this JVM that behaves well and badly; nothing touches the internet. */
class DownloaderTest {
    private static final Downloader.Settings FAST =
            new Downloader.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), 4);

    @TempDir
    Path tmp;

    static byte[] content(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static HashCheck hashOf(byte[] b) throws Exception {
        return new HashCheck(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
    }

    private Path target() {
        return tmp.resolve("cache").resolve("model.bin");
    }

    private void assertNothingUnderFinalName() {
        assertFalse(Files.exists(target()), "a failed download must leave nothing under the final name");
    }

    @Test
    void downloadsAndVerifies() throws Exception {
        byte[] data = content(300_000, 1);
        try (TestFileServer server = new TestFileServer().serve("model.bin", data)) {
            String sha = new Downloader(FAST).download(URI.create(server.url("model.bin")), data.length,
                    hashOf(data), target(), TransferListener.NONE);
            assertEquals(hashOf(data).hex(), sha);
            assertArrayEquals(data, Files.readAllBytes(target()));
            assertFalse(Files.exists(Downloader.partFile(target())));
        }
    }

    @Test
    void resumesWithRangeAfterTheServerCutsTheConnection() throws Exception {
        byte[] data = content(400_000, 2);
        AtomicLong shownMax = new AtomicLong();
        StringBuilder messages = new StringBuilder();
        TransferListener listener = new TransferListener() {
            @Override
            public void progress(long done, long total) {
                shownMax.accumulateAndGet(done, Math::max);
            }

            @Override
            public void message(String text) {
                messages.append(text).append('\n');
            }
        };
        try (TestFileServer server = new TestFileServer().serve("model.bin", data)
                .behave(TestFileServer.Behaviour.CUT_FIRST, 150_000)) {
            new Downloader(FAST).download(URI.create(server.url("model.bin")), data.length, hashOf(data), target(),
                    listener);
            assertArrayEquals(data, Files.readAllBytes(target()));
            List<TestFileServer.Request> reqs = server.requests();
            assertEquals(2, reqs.size(), reqs.toString());
            assertEquals(null, reqs.get(0).range());
            long resumedAt = Long.parseLong(reqs.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
            assertTrue(resumedAt > 0 && resumedAt <= 150_000, "resumed at " + resumedAt);
            assertTrue(messages.toString().contains("resuming"), messages.toString());
            assertEquals(data.length, shownMax.get());
        }
    }

    @Test
    void resumesAPartFileLeftByAnEarlierRun() throws Exception {
        byte[] data = content(200_000, 3);
        Files.createDirectories(target().getParent());
        Files.write(Downloader.partFile(target()), java.util.Arrays.copyOf(data, 50_000));
        try (TestFileServer server = new TestFileServer().serve("model.bin", data)) {
            new Downloader(FAST).download(URI.create(server.url("model.bin")), data.length, hashOf(data), target(),
                    TransferListener.NONE);
            assertArrayEquals(data, Files.readAllBytes(target()));
            assertEquals("bytes=50000-", server.requests().get(0).range());
        }
    }

    @Test
    void startsAgainWhenTheServerIgnoresRange() throws Exception {
        byte[] data = content(120_000, 4);
        Files.createDirectories(target().getParent());
        Files.write(Downloader.partFile(target()), content(30_000, 99)); // stale bytes of something else
        try (TestFileServer server = new TestFileServer().serve("model.bin", data)
                .behave(TestFileServer.Behaviour.IGNORE_RANGE, 0)) {
            new Downloader(FAST).download(URI.create(server.url("model.bin")), data.length, hashOf(data), target(),
                    TransferListener.NONE);
            assertArrayEquals(data, Files.readAllBytes(target()));
        }
    }

    @Test
    void aHashMismatchIsRefusedAndNothingIsKept() throws Exception {
        byte[] data = content(100_000, 5);
        byte[] other = content(100_000, 6);
        try (TestFileServer server = new TestFileServer().serve("model.bin", other)) {
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(FAST).download(
                    URI.create(server.url("model.bin")), data.length, hashOf(data), target(), TransferListener.NONE));
            assertTrue(e.getMessage().startsWith(server.url("model.bin") + ": SHA-256 "), e.getMessage());
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
            assertNothingUnderFinalName();
            assertFalse(Files.exists(Downloader.partFile(target())), "a wrong file is not kept for resuming");
        }
    }

    @Test
    void aHashPrefixAsTorchHubChecksIt() throws Exception {
        byte[] data = content(50_000, 7);
        HashCheck prefix = new HashCheck(hashOf(data).hex().substring(0, 8));
        try (TestFileServer server = new TestFileServer().serve("m-" + prefix.hex() + ".pth", data)) {
            assertEquals(prefix.hex(), HashCheck.torchHubPrefix("m-" + prefix.hex() + ".pth"));
            String sha = new Downloader(FAST).download(URI.create(server.url("m-" + prefix.hex() + ".pth")), 0,
                    prefix, target(), TransferListener.NONE);
            assertEquals(hashOf(data).hex(), sha, "the full hash is measured and returned");
            HashCheck wrong = new HashCheck("00000000");
            Path other = tmp.resolve("other.pth");
            assertThrows(DownloadException.class, () -> new Downloader(FAST).download(
                    URI.create(server.url("m-" + prefix.hex() + ".pth")), 0, wrong, other, TransferListener.NONE));
            assertFalse(Files.exists(other));
        }
    }

    @Test
    void notFoundIsOneLineNamingTheUrl() throws Exception {
        try (TestFileServer server = new TestFileServer()) {
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(FAST).download(
                    URI.create(server.url("missing.bin")), 10, new HashCheck("0".repeat(64)), target(),
                    TransferListener.NONE));
            assertEquals(server.url("missing.bin") + ": HTTP 404 Not Found (no such file at this URL; is the mirror "
                    + "complete?)", e.getMessage());
            assertNothingUnderFinalName();
        }
    }

    @Test
    void aStalledTransferTimesOutInsteadOfHanging() throws Exception {
        byte[] data = content(200_000, 8);
        try (TestFileServer server = new TestFileServer().serve("model.bin", data)
                .behave(TestFileServer.Behaviour.STALL, 20_000)) {
            long t0 = System.nanoTime();
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(
                    new Downloader.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), 1)).download(
                    URI.create(server.url("model.bin")), data.length, hashOf(data), target(), TransferListener.NONE));
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 10, "took " + secs + " s");
            assertTrue(e.getMessage().contains("no data for 1 s after 20000 bytes"), e.getMessage());
            assertNothingUnderFinalName();
            assertEquals(20_000, Files.size(Downloader.partFile(target())), "kept for a resume");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (TestFileServer server = new TestFileServer().serve("model.bin", content(10, 9))
                .behave(TestFileServer.Behaviour.STALL_BEFORE_HEADERS, 0)) {
            long t0 = System.nanoTime();
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(FAST).download(
                    URI.create(server.url("model.bin")), 10, new HashCheck("0".repeat(64)), target(),
                    TransferListener.NONE));
            assertTrue((System.nanoTime() - t0) / 1e9 < 10);
            assertTrue(e.getMessage().contains("no response within the read timeout"), e.getMessage());
            assertNothingUnderFinalName();
        }
    }

    @Test
    void cancellingDuringTheTransferStopsItAndKeepsThePartForResuming() throws Exception {
        byte[] data = content(2_000_000, 10); // trickled at 4 KB / 50 ms: ~25 s, far longer than the test
        try (TestFileServer server = new TestFileServer().serve("model.bin", data)
                .behave(TestFileServer.Behaviour.TRICKLE, 0)) {
            Downloader downloader = new Downloader(Downloader.Settings.defaults());
            AtomicLong seen = new AtomicLong();
            TransferListener listener = new TransferListener() {
                @Override
                public void progress(long done, long total) {
                    seen.set(done);
                }
            };
            CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
                try {
                    downloader.download(URI.create(server.url("model.bin")), data.length, hashOf(data), target(),
                            listener);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.get() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long t0 = System.nanoTime();
            downloader.cancel();
            Throwable e = result.get(5, TimeUnit.SECONDS);
            assertTrue((System.nanoTime() - t0) / 1e9 < 3, "a cancelled download ends at once");
            assertTrue(e instanceof DownloadException, String.valueOf(e));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertNothingUnderFinalName();
            assertTrue(Files.size(Downloader.partFile(target())) >= 20_000);
        }
    }

    @Test
    void aRefusedConnectionFailsAtOnce() throws Exception {
        String url;
        try (TestFileServer server = new TestFileServer()) {
            url = server.url("model.bin");
        } // stopped: nothing listens on that port now
        long t0 = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(FAST).download(
                URI.create(url), 10, new HashCheck("0".repeat(64)), target(), TransferListener.NONE));
        assertTrue((System.nanoTime() - t0) / 1e9 < 5);
        assertTrue(e.getMessage().startsWith(url + ": cannot connect"), e.getMessage());
        assertNothingUnderFinalName();
    }

    /** The JVM's standard proxy properties route the request: the local server plays an HTTP proxy. */
    @Test
    void theJvmProxySettingsAreHonoured() throws Exception {
        byte[] data = content(30_000, 15);
        try (TestFileServer proxy = new TestFileServer().serve("model.bin", data)) {
            String port = proxy.base().substring(proxy.base().lastIndexOf(':') + 1);
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", port);
            try {
                // .invalid never resolves (RFC 2606): only a proxy can answer this
                new Downloader(FAST).download(URI.create("http://publisher.invalid/model.bin"), data.length,
                        hashOf(data), target(), TransferListener.NONE);
            } finally {
                System.clearProperty("http.proxyHost");
                System.clearProperty("http.proxyPort");
            }
            assertArrayEquals(data, Files.readAllBytes(target()));
            assertEquals("/model.bin", proxy.requests().get(0).path());
        }
    }

    @Test
    void networkExceptionsAreDescribedInWords() {
        // as java.net.http 17 reports an unknown host: a ConnectException, caused by another, caused by this
        ConnectException inner = new ConnectException();
        inner.initCause(new UnresolvedAddressException());
        ConnectException dns = new ConnectException();
        dns.initCause(inner);
        assertEquals("cannot resolve the host name (no network or no DNS)", Downloader.describe(dns));
        assertEquals("cannot resolve the host name (no network or no DNS)",
                Downloader.describe(new java.net.UnknownHostException("github.com")));
        assertEquals("No space left on device", Downloader.describe(new IOException("No space left on device")));
    }
}
