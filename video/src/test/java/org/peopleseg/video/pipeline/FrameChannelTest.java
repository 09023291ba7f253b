package org.peopleseg.video.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peopleseg.video.source.SourceException;
import org.peopleseg.video.source.VideoFrame;

/** The reader-to-inference hand-over: ordered (files) and latest-frame (live) policies, end, error and close. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrameChannelTest {
    private static final BufferedImage IMG = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);

    private static VideoFrame frame(long i) {
        return new VideoFrame(i, i * 100.0, IMG, System.nanoTime());
    }

    private static long index(FrameChannel.Item item) {
        return assertInstanceOf(FrameChannel.Frame.class, item).frame().index();
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != state && System.nanoTime() < end) {
            Thread.sleep(2);
        }
        assertEquals(state, t.getState(), "thread " + t.getName());
    }

    @Test
    void orderedDeliversEveryFrameInOrderAcrossThreads() throws Exception {
        FrameChannel ch = FrameChannel.ordered(3);
        int n = 2000;
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    assertTrue(ch.put(frame(i)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ch.finish(null);
            }
        });
        producer.start();
        List<Long> got = new ArrayList<>();
        while (true) {
            FrameChannel.Item item = ch.poll(5, TimeUnit.SECONDS);
            if (item instanceof FrameChannel.End end) {
                assertNull(end.error());
                break;
            }
            got.add(index(item));
        }
        producer.join();
        assertEquals(n, got.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, got.get(i));
        }
        assertEquals(0, ch.dropped(), "an ordered channel never drops");
    }

    @Test
    void orderedBlocksTheProducerWhenFull() throws Exception {
        FrameChannel ch = FrameChannel.ordered(2);
        AtomicInteger put = new AtomicInteger();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 5; i++) {
                    ch.put(frame(i));
                    put.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer");
        producer.start();
        awaitState(producer, Thread.State.WAITING);
        assertEquals(2, put.get(), "two frames fit; the third put waits");
        assertEquals(0, index(ch.poll(1, TimeUnit.SECONDS)));
        // one slot freed: exactly one more frame goes in, then the producer waits again
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (put.get() < 3 && System.nanoTime() < end) {
            Thread.sleep(2);
        }
        awaitState(producer, Thread.State.WAITING);
        assertEquals(3, put.get());
        for (int i = 1; i < 5; i++) {
            assertEquals(i, index(ch.poll(1, TimeUnit.SECONDS)));
        }
        producer.join(5000);
        assertFalse(producer.isAlive());
        assertEquals(5, put.get());
    }

    @Test
    void latestKeepsOnlyTheNewestAndCountsDrops() throws Exception {
        FrameChannel ch = FrameChannel.latest();
        for (int i = 0; i < 5; i++) {
            assertTrue(ch.put(frame(i)), "a live channel never blocks the reader");
        }
        assertEquals(4, ch.dropped());
        assertEquals(4, index(ch.poll(0)));
        assertInstanceOf(FrameChannel.Empty.class, ch.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(ch.put(frame(5)));
        assertEquals(5, index(ch.poll(0)), "a frame taken in time is not a drop");
        assertEquals(4, ch.dropped());
        ch.put(frame(6));
        ch.put(frame(7));
        ch.finish(null);
        assertEquals(7, index(ch.poll(0)), "the newest frame is still delivered after the end");
        assertEquals(5, ch.dropped());
        assertInstanceOf(FrameChannel.End.class, ch.poll(0));
    }

    @Test
    void pollTimesOutWithEmpty() throws Exception {
        FrameChannel ch = FrameChannel.ordered(2);
        long t0 = System.nanoTime();
        assertInstanceOf(FrameChannel.Empty.class, ch.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(45), "waited the timeout");
        assertInstanceOf(FrameChannel.Empty.class, ch.poll(0));
    }

    @Test
    void errorIsReportedAfterTheQueuedFrames() throws Exception {
        FrameChannel ch = FrameChannel.ordered(4);
        ch.put(frame(0));
        ch.put(frame(1));
        SourceException boom = new SourceException("cam.mp4: decoding failed at frame 3");
        ch.finish(boom);
        assertEquals(0, index(ch.poll(0)));
        assertEquals(1, index(ch.poll(0)));
        FrameChannel.End end = assertInstanceOf(FrameChannel.End.class, ch.poll(0));
        assertSame(boom, end.error());
        // the end is sticky
        assertSame(boom, assertInstanceOf(FrameChannel.End.class, ch.poll(0)).error());
    }

    @Test
    void finishWakesAWaitingConsumer() throws Exception {
        FrameChannel ch = FrameChannel.latest();
        AtomicReference<FrameChannel.Item> got = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                got.set(ch.poll(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        awaitState(consumer, Thread.State.TIMED_WAITING);
        long t0 = System.nanoTime();
        ch.finish(null);
        consumer.join(5000);
        assertFalse(consumer.isAlive());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
        assertNull(assertInstanceOf(FrameChannel.End.class, got.get()).error());
    }

    @Test
    void closeReleasesABlockedProducer() throws Exception {
        FrameChannel ch = FrameChannel.ordered(1);
        ch.put(frame(0));
        AtomicBoolean result = new AtomicBoolean(true);
        CountDownLatch returned = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                result.set(ch.put(frame(1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returned.countDown();
        }, "blocked-producer");
        producer.start();
        awaitState(producer, Thread.State.WAITING);
        ch.close();
        assertTrue(returned.await(2, TimeUnit.SECONDS), "close() released the producer");
        assertFalse(result.get(), "put reports the closed channel so the reader stops");
        assertFalse(ch.put(frame(2)), "later puts are refused at once");
        FrameChannel.End end = assertInstanceOf(FrameChannel.End.class, ch.poll(0));
        assertNull(end.error(), "a channel closed by the consumer ends without an error");
    }

    @Test
    void closedLatestChannelRefusesFrames() throws Exception {
        FrameChannel ch = FrameChannel.latest();
        ch.close();
        assertFalse(ch.put(frame(0)));
        assertInstanceOf(FrameChannel.End.class, ch.poll(0));
    }

    @Test
    void interruptedProducerStops() throws Exception {
        FrameChannel ch = FrameChannel.ordered(1);
        ch.put(frame(0));
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try {
                ch.put(frame(1));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        producer.start();
        awaitState(producer, Thread.State.WAITING);
        producer.interrupt();
        producer.join(2000);
        assertTrue(interrupted.get());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> FrameChannel.ordered(0));
    }
}
