package org.peopleseg.video.pipeline;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.peopleseg.video.source.SourceException;
import org.peopleseg.video.source.VideoFrame;

/**
 * Hands frames from a source's reader thread to the inference loop, with the source's policy:
 * <ul>
 *   <li><b>ordered</b> (files, image folders): a small bounded queue; the reader waits when it is full, so every
 *       frame is processed and decoding overlaps inference;</li>
 *   <li><b>latest</b> (live sources): one slot; a new frame replaces an unconsumed one, which is counted as
 *       dropped. A slow model therefore processes the newest frame with bounded latency instead of an
 *       ever-growing backlog (the complaint of javacv#1575 about FFmpegFrameGrabber buffers).</li>
 * </ul>
 * The reader ends the channel with {@link #finish}, optionally with the error that ended the source.
 */
public final class FrameChannel {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<VideoFrame> frames = new ArrayDeque<>();
    private final int capacity;
    private final boolean latestOnly;
    private long dropped;
    private boolean finished;
    private boolean closed;
    private SourceException error;

    private FrameChannel(int capacity, boolean latestOnly) {
        this.capacity = capacity;
        this.latestOnly = latestOnly;
    }

    /** Every frame, in order; the producer blocks while {@code capacity} frames wait. */
    public static FrameChannel ordered(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        return new FrameChannel(capacity, false);
    }

    /** Only the newest frame; older unconsumed frames are dropped and counted. */
    public static FrameChannel latest() {
        return new FrameChannel(1, true);
    }

    /**
     * Offers a frame from the reader: blocks while an ordered channel is full.
     *
     * @return false when the channel was closed by the consumer (stop reading)
     */
    public boolean put(VideoFrame frame) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (latestOnly) {
                if (!frames.isEmpty()) {
                    frames.clear();
                    dropped++;
                }
            } else {
                while (frames.size() >= capacity && !closed) {
                    notFull.await();
                }
            }
            if (closed) {
                return false;
            }
            frames.addLast(frame);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The reader is done: after the queued frames, {@link #poll} reports the end (and {@code error}, if any). */
    public void finish(SourceException errorOrNull) {
        lock.lock();
        try {
            finished = true;
            error = errorOrNull;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The consumer will take no more frames: releases a blocked reader. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (latestOnly) {
                dropped += frames.size(); // read but never processed: every frame read is written or dropped
            }
            frames.clear();
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #poll} found. */
    public sealed interface Item permits Frame, End, Empty {}

    public record Frame(VideoFrame frame) implements Item {}

    /** The source ended: normally when {@code error} is null. */
    public record End(SourceException error) implements Item {}

    /** Nothing arrived in time. */
    public record Empty() implements Item {}

    private static final Empty EMPTY = new Empty();

    /** The next frame, the end, or {@link Empty} after {@code timeoutNanos}. */
    public Item poll(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = timeoutNanos;
            while (frames.isEmpty() && !finished && !closed) {
                if (left <= 0) {
                    return EMPTY;
                }
                left = notEmpty.awaitNanos(left);
            }
            if (!frames.isEmpty()) {
                VideoFrame f = frames.pollFirst();
                notFull.signal();
                return new Frame(f);
            }
            return closed ? new End(null) : new End(error);
        } finally {
            lock.unlock();
        }
    }

    public Item poll(long timeout, TimeUnit unit) throws InterruptedException {
        return poll(unit.toNanos(timeout));
    }

    /** Frames replaced before the consumer took them (live channels only). */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
