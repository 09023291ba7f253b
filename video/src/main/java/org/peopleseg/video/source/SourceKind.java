package org.peopleseg.video.source;

/** What a source is, which decides its frame policy. */
public enum SourceKind {
    /** A video file: every frame is processed, the pipeline waits for slow inference. */
    FILE(false),
    /** A folder of images, in file-name order: every frame is processed. */
    IMAGES(false),
    /** RTSP / HTTP / other network URL: live, reconnects, drops to the latest frame. */
    NETWORK(true),
    /** A local camera device (V4L2): live, drops to the latest frame. */
    CAMERA(true);

    private final boolean live;

    SourceKind(boolean live) {
        this.live = live;
    }

    /** True when the source runs at its own rate and old frames are worth less than new ones. */
    public boolean live() {
        return live;
    }
}
