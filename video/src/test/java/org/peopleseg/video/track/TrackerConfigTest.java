package org.peopleseg.video.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrackerConfigTest {

    @Test
    void defaults() {
        TrackerConfig c = TrackerConfig.defaults();
        assertEquals(0.5, c.highThreshold());
        assertEquals(0.1, c.lowThreshold());
        assertEquals(0.6, c.newTrackThreshold());
        assertEquals(0.3, c.matchIou());
        assertEquals(0.5, c.secondMatchIou());
        assertEquals(30, c.maxAge());
        assertEquals(3, c.minHits());
        assertFalse(c.useMaskIou());
    }

    @Test
    void withers() {
        TrackerConfig c = TrackerConfig.defaults().withMaxAge(5).withMinHits(1).withUseMaskIou(true)
                .withHighThreshold(0.4).withLowThreshold(0.2).withNewTrackThreshold(0.7)
                .withMatchIou(0.2).withSecondMatchIou(0.6);
        assertEquals(new TrackerConfig(0.4, 0.2, 0.7, 0.2, 0.6, 5, 1, true), c);
        assertTrue(c.useMaskIou());
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        TrackerConfig d = TrackerConfig.defaults();
        rejects("highThreshold", () -> d.withHighThreshold(1.5));
        rejects("highThreshold", () -> d.withHighThreshold(Double.NaN));
        rejects("lowThreshold", () -> d.withLowThreshold(-0.1));
        rejects("lowThreshold", () -> d.withLowThreshold(0.55)); // above high
        rejects("newTrackThreshold", () -> d.withNewTrackThreshold(2));
        rejects("newTrackThreshold", () -> d.withNewTrackThreshold(0.4)); // below high
        rejects("matchIou", () -> d.withMatchIou(0));
        rejects("matchIou", () -> d.withMatchIou(1.01));
        rejects("secondMatchIou", () -> d.withSecondMatchIou(-1));
        rejects("maxAge", () -> d.withMaxAge(-1));
        rejects("minHits", () -> d.withMinHits(0));
    }

    @Test
    void acceptsEdgeValues() {
        new TrackerConfig(0, 0, 0, 1, 1, 0, 1, false);
        new TrackerConfig(1, 1, 1, 0.01, 0.01, Integer.MAX_VALUE, 1000, true);
    }

    private static void rejects(String field, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(field), ex.getMessage());
    }
}
