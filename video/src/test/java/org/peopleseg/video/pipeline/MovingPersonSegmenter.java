package org.peopleseg.video.pipeline;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.peopleseg.core.Segmenter;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

/**
 * A model stand-in: one person per frame, 60 x 160 px, walking 3 px right and 1 px down per frame, with a
 * full-image box-shaped mask; optionally slow ({@code delayMs} per call) or failing on chosen frames. The frame
 * number comes from the source id the pipeline passes ("NAME#N", 1-based), so the answer depends on the frame
 * only, not on the call order.
 */
final class MovingPersonSegmenter implements Segmenter {
    final AtomicInteger calls = new AtomicInteger();
    final Set<Thread> callers = ConcurrentHashMap.newKeySet();
    private final long delayMs;
    private final int failEvery;

    MovingPersonSegmenter() {
        this(0, 0);
    }

    /** @param failEvery throw on every frame number divisible by this (0 = never) */
    MovingPersonSegmenter(long delayMs, int failEvery) {
        this.delayMs = delayMs;
        this.failEvery = failEvery;
    }

    static long frameNumber(String source) {
        return Long.parseLong(source.substring(source.lastIndexOf('#') + 1));
    }

    static Box boxAt(long frameNumber, int width, int height) {
        double x = Math.min(width - 61, 100 + 3 * (frameNumber % 150));
        double y = Math.min(height - 161, 150 + (frameNumber % 150));
        return new Box(x, y, x + 60, y + 160);
    }

    @Override
    public Detections segment(BufferedImage image, String source) {
        calls.incrementAndGet();
        callers.add(Thread.currentThread());
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long n = frameNumber(source);
        if (failEvery > 0 && n % failEvery == 0) {
            throw new IllegalStateException("model exploded on " + source);
        }
        int w = image.getWidth(), h = image.getHeight();
        Box b = boxAt(n, w, h);
        byte[] px = new byte[w * h];
        for (int y = (int) b.y1(); y < (int) b.y2(); y++) {
            java.util.Arrays.fill(px, y * w + (int) b.x1(), y * w + (int) b.x2(), (byte) 1);
        }
        Instance person = new Instance(b, 0.9, 1, "person", new BitMask(w, h, px));
        return new Detections(source, w, h, List.of(person));
    }

    @Override
    public void close() {
        // nothing held
    }
}
