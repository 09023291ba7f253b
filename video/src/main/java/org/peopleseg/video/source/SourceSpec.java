package org.peopleseg.video.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What to open and how: the user's source string classified into a {@link SourceKind}, the output name, and the
 * per-source options of the config file.
 *
 * @param uri           file path, folder path, URL ({@code rtsp://}, {@code http://}, ...) or camera device
 *                      ({@code /dev/video0}, or {@code camera:N} for {@code /dev/videoN})
 * @param name          output name: file or folder name without extension unless given
 * @param kind          decided from the uri
 * @param live          process as a live source: drop to the latest frame when inference is slower. Network and
 *                      camera sources are always live; a file with live=true is paced at its own frame rate, as if
 *                      a camera were filming it (for testing what a deployment will do)
 * @param loops         how many times to play a file (1 = once, 0 = forever, for soak runs)
 * @param frameRate     frames per second of an image folder (its files carry no timing); 0 = the default 10
 * @param timeoutMs     network read timeout
 * @param maxReconnects consecutive failed (re)connection attempts before a network source is given up
 */
public record SourceSpec(String uri, String name, SourceKind kind, boolean live, int loops, double frameRate,
                         long timeoutMs, int maxReconnects) {

    public static final double DEFAULT_IMAGE_FPS = 10;
    public static final long DEFAULT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_RECONNECTS = 10;

    public SourceSpec {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (kind.live()) {
            live = true;
        }
        if (loops < 0) {
            throw new IllegalArgumentException(uri + ": loops must be 0 (forever) or more, got " + loops);
        }
        if (!(frameRate >= 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException(uri + ": frame rate must be positive, got " + frameRate);
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException(uri + ": timeout must be positive, got " + timeoutMs + " ms");
        }
        if (maxReconnects < 0) {
            throw new IllegalArgumentException(uri + ": max reconnects must be 0 or more, got " + maxReconnects);
        }
    }

    /** The source string with every option at its default. */
    public static SourceSpec of(String uri) {
        SourceKind kind = classify(uri);
        return new SourceSpec(uri, defaultName(uri, kind), kind, false, 1, 0, DEFAULT_TIMEOUT_MS,
                DEFAULT_MAX_RECONNECTS);
    }

    public SourceSpec withName(String newName) {
        return new SourceSpec(uri, newName, kind, live, loops, frameRate, timeoutMs, maxReconnects);
    }

    public SourceSpec withLive(boolean newLive) {
        return new SourceSpec(uri, name, kind, newLive, loops, frameRate, timeoutMs, maxReconnects);
    }

    public SourceSpec withLoops(int newLoops) {
        return new SourceSpec(uri, name, kind, live, newLoops, frameRate, timeoutMs, maxReconnects);
    }

    public SourceSpec withFrameRate(double fps) {
        return new SourceSpec(uri, name, kind, live, loops, fps, timeoutMs, maxReconnects);
    }

    public SourceSpec withNetwork(long newTimeoutMs, int newMaxReconnects) {
        return new SourceSpec(uri, name, kind, live, loops, frameRate, newTimeoutMs, newMaxReconnects);
    }

    /** The frame rate of an image folder: the configured one or the default. */
    public double imageFrameRate() {
        return frameRate > 0 ? frameRate : DEFAULT_IMAGE_FPS;
    }

    static SourceKind classify(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*") && !lower.startsWith("file://")) {
            return SourceKind.NETWORK;
        }
        if (lower.startsWith("camera:") || lower.startsWith("/dev/video")) {
            return SourceKind.CAMERA;
        }
        return Files.isDirectory(localPath(uri)) ? SourceKind.IMAGES : SourceKind.FILE;
    }

    /** The local path of a file or folder source ({@code file://} accepted). */
    public Path path() {
        return localPath(uri);
    }

    /** The device path of a camera source. */
    public String device() {
        return uri.toLowerCase(Locale.ROOT).startsWith("camera:") ? "/dev/video" + uri.substring("camera:".length())
                : uri;
    }

    private static Path localPath(String uri) {
        return Path.of(uri.startsWith("file://") ? uri.substring("file://".length()) : uri);
    }

    static String defaultName(String uri, SourceKind kind) {
        String s = uri;
        if (kind == SourceKind.NETWORK) {
            int q = s.indexOf('?');
            if (q >= 0) {
                s = s.substring(0, q);
            }
        }
        while (s.endsWith("/") && s.length() > 1) {
            s = s.substring(0, s.length() - 1);
        }
        String base = s.substring(s.lastIndexOf('/') + 1);
        if (base.startsWith("camera:")) {
            base = "camera" + base.substring("camera:".length());
        }
        int dot = base.lastIndexOf('.');
        if (dot > 0 && kind != SourceKind.IMAGES) {
            base = base.substring(0, dot);
        }
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() ? "source" : base;
    }

    @Override
    public String toString() {
        return name + " (" + uri + ")";
    }
}
