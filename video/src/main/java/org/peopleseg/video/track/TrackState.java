package org.peopleseg.video.track;

/**
 * Life cycle of a {@link Track}: {@code TENTATIVE → CONFIRMED ⇄ LOST → REMOVED}, and {@code TENTATIVE → REMOVED}
 * when a new track misses its next inferred frame (a spurious detection never gets an id).
 */
public enum TrackState {
    /** Born from an unmatched high detection; not yet reported, has no id. */
    TENTATIVE,
    /** Matched at least {@code minHits} times (or born during the stream's first {@code minHits} frames); has an id. */
    CONFIRMED,
    /** Confirmed but unmatched on the last inferred frame; kept for {@code maxAge} frames so it can be re-found. */
    LOST,
    /** Dropped; never matched again and its id is never reused. */
    REMOVED
}
