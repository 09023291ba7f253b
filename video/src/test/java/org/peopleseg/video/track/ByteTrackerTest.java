package org.peopleseg.video.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Instance;

/** Synthetic sequences: hand-made boxes (and a few masks) moving with known motion, no images. */
class ByteTrackerTest {
    private static final int W = 640, H = 480;

    private static Instance person(double x, double y, double w, double h, double score) {
        return new Instance(new Box(x, y, x + w, y + h), score, 1, "person", null);
    }

    private static Instance personWithMask(int x, int y, int w, int h, double score) {
        return new Instance(new Box(x, y, x + w, y + h), score, 1, "person", MaskShiftTest.rect(W, H, x, y, x + w, y + h));
    }

    /** A person 40 x 120 walking 3 px right and 1 px down per frame. */
    private static Instance walker(int frame, double score) {
        return person(50 + 3 * frame, 80 + frame, 40, 120, score);
    }

    private static Instance only(List<Instance> out) {
        assertEquals(1, out.size(), () -> "expected one instance, got " + out);
        return out.get(0);
    }

    @Test
    void walkingPersonKeepsIdOne() {
        ByteTracker t = new ByteTracker();
        for (int f = 0; f < 50; f++) {
            Instance d = walker(f, 0.9);
            Instance out = only(t.update(List.of(d)));
            assertEquals(1, out.trackId());
            assertEquals(d.box(), out.box(), "the detection's own box is reported");
            assertEquals(0.9, out.score());
        }
        assertEquals(1, t.activeTrackCount());
        assertEquals(2, t.nextId());
        assertEquals(50, t.frameCount());
    }

    @Test
    void crossingPeopleKeepTheirIds() {
        ByteTracker t = new ByteTracker();
        for (int f = 0; f < 80; f++) {
            Instance a = person(100 + 5 * f, 100, 50, 150, 0.9); // left to right
            Instance b = person(500 - 5 * f, 104, 48, 146, 0.85); // right to left, crossing around frame 40
            List<Instance> in = f % 2 == 0 ? List.of(a, b) : List.of(b, a);
            List<Instance> out = t.update(in);
            assertEquals(2, out.size(), "frame " + f);
            assertEquals(1, find(out, a.box()).trackId(), "frame " + f);
            assertEquals(2, find(out, b.box()).trackId(), "frame " + f);
        }
    }

    @Test
    void crossingBehindSomeoneIsReFoundByMotion() {
        ByteTracker t = new ByteTracker();
        int hidden = 0;
        for (int f = 0; f < 80; f++) {
            Instance a = person(100 + 5 * f, 100, 50, 150, 0.9);
            Instance b = person(500 - 5 * f, 104, 48, 146, 0.85);
            boolean occluded = Math.abs(a.box().x1() - b.box().x1()) < 40; // b walks behind a
            List<Instance> out = t.update(occluded ? List.of(a) : List.of(a, b));
            assertEquals(1, find(out, a.box()).trackId(), "frame " + f);
            if (occluded) {
                hidden++;
                assertEquals(1, out.size());
            } else {
                assertEquals(2, find(out, b.box()).trackId(), "frame " + f);
            }
        }
        assertTrue(hidden >= 6, "b was hidden for " + hidden + " frames");
        assertEquals(3, t.nextId(), "no id beyond 1 and 2 was handed out");
    }

    @Test
    void occludedPersonGetsTheSameIdBackWithinMaxAge() {
        ByteTracker t = new ByteTracker();
        for (int f = 0; f < 60; f++) {
            boolean visible = f < 20 || f >= 30; // 10 frames without detections
            List<Instance> out = t.update(visible ? List.of(walker(f, 0.9)) : List.of());
            if (visible) {
                assertEquals(1, only(out).trackId(), "frame " + f);
            } else {
                assertTrue(out.isEmpty());
                assertEquals(0, t.activeTrackCount());
                assertEquals(TrackState.LOST, t.tracks().get(0).state());
            }
        }
    }

    @Test
    void occludedPersonGetsANewIdAfterMaxAge() {
        ByteTracker t = new ByteTracker();
        List<Long> ids = new ArrayList<>();
        for (int f = 0; f < 80; f++) {
            boolean visible = f < 20 || f >= 60; // 40 frames without detections, maxAge 30
            List<Instance> out = t.update(visible ? List.of(walker(f, 0.9)) : List.of());
            if (!visible) {
                assertTrue(out.isEmpty());
            }
            if (f == 55) {
                assertTrue(t.tracks().isEmpty(), "the lost track was forgotten");
            }
            for (Instance i : out) {
                if (f >= 60) {
                    ids.add(i.trackId());
                }
            }
        }
        assertFalse(ids.isEmpty());
        assertTrue(ids.stream().allMatch(id -> id == 2), ids.toString());
        // minHits: the new track is reported from its third detection on
        assertEquals(80 - 60 - 2, ids.size());
    }

    @Test
    void lowScoreDetectionKeepsATrackAliveButStartsNone() {
        ByteTracker t = new ByteTracker();
        for (int f = 0; f < 10; f++) {
            assertEquals(1, only(t.update(List.of(walker(f, 0.9)))).trackId());
        }
        for (int f = 10; f < 30; f++) { // blurred / partly occluded: score 0.3, second pass only
            Instance out = only(t.update(List.of(walker(f, 0.3))));
            assertEquals(1, out.trackId(), "frame " + f);
            assertEquals(0.3, out.score());
        }
        assertEquals(1, t.activeTrackCount());

        ByteTracker fresh = new ByteTracker();
        for (int f = 0; f < 10; f++) {
            assertTrue(fresh.update(List.of(walker(f, 0.3), person(400, 10, 30, 90, 0.55))).isEmpty());
            assertTrue(fresh.tracks().isEmpty(), "neither a low (0.3) nor a 0.55 < newTrackThreshold detection starts a track");
        }
        // below lowThreshold: ignored even for an existing track
        assertTrue(t.update(List.of(walker(30, 0.05))).isEmpty());
        assertEquals(TrackState.LOST, t.tracks().get(0).state());
    }

    @Test
    void spuriousDetectionNeverAppears() {
        ByteTracker t = new ByteTracker();
        for (int f = 0; f < 30; f++) {
            List<Instance> in = new ArrayList<>(List.of(walker(f, 0.9)));
            if (f == 10 || f == 20 || f == 21) {
                in.add(person(500, 300, 30, 80, 0.95)); // a one- or two-frame false positive
            }
            assertEquals(1, only(t.update(in)).trackId(), "frame " + f);
        }
        assertEquals(2, t.nextId(), "the false positives used no id");
        // a real newcomer after them gets id 2, from its third detection
        List<Long> newcomer = new ArrayList<>();
        for (int f = 30; f < 40; f++) {
            for (Instance i : t.update(List.of(walker(f, 0.9), person(300 - 2 * f, 200, 40, 110, 0.8)))) {
                if (i.trackId() != 1) {
                    newcomer.add(i.trackId());
                }
            }
        }
        assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), newcomer);
    }

    @Test
    void firstFramesOfAStreamAreReportedAtOnce() {
        ByteTracker t = new ByteTracker();
        assertEquals(1, only(t.update(List.of(walker(0, 0.9)))).trackId());
        t.update(List.of(walker(1, 0.9)));
        t.update(List.of(walker(2, 0.9)));
        // frame 4: a newcomer waits for minHits
        assertEquals(1, t.update(List.of(walker(3, 0.9), person(500, 300, 30, 80, 0.9))).size());
    }

    @Test
    void intervalModeCarriesIdsBoxesAndMasks() {
        ByteTracker t = new ByteTracker();
        int interval = 3;
        Instance lastInferred = null;
        for (int f = 0; f < 60; f++) {
            Instance truth = personWithMask(60 + 4 * f, 40 + 2 * f, 60, 160, 0.9);
            if (f % interval == 0) {
                Instance out = only(t.update(List.of(truth)));
                assertEquals(1, out.trackId());
                assertSame(truth.mask(), out.mask());
                lastInferred = truth;
            } else {
                Instance out = only(t.predict());
                assertEquals(1, out.trackId(), "frame " + f);
                assertEquals(0.9, out.score());
                assertEquals("person", out.label());
                if (f > 12) {
                    KalmanBoxFilterTest.assertBoxNear(truth.box(), out.box(), 3);
                }
                // the mask is the last inferred one moved with the box centre
                BitMask m = out.mask();
                assertNotNull(m);
                assertEquals(lastInferred.mask().area(), m.area());
                Box mb = m.bounds();
                Box pb = out.box();
                assertEquals((pb.x1() + pb.x2()) / 2, (mb.x1() + mb.x2()) / 2, 0.51, "mask follows the box, frame " + f);
                assertEquals((pb.y1() + pb.y2()) / 2, (mb.y1() + mb.y2()) / 2, 0.51, "mask follows the box, frame " + f);
                if (f > 12) {
                    assertTrue(m.iou(truth.mask()) > 0.9, "frame " + f + ": " + m.iou(truth.mask()));
                }
            }
        }
        assertEquals(60, t.frameCount());
    }

    @Test
    void intervalModeWithoutMasksAndWithALostTrack() {
        ByteTracker t = new ByteTracker();
        assertEquals(1, only(t.update(List.of(walker(0, 0.9)))).trackId());
        Instance p = only(t.predict());
        assertNull(p.mask());
        t.update(List.of()); // missed on an inferred frame: lost, so not carried
        assertTrue(t.predict().isEmpty());
        assertEquals(1, only(t.update(List.of(walker(3, 0.9)))).trackId());
    }

    @Test
    void categoriesAreKeptApart() {
        ByteTracker t = new ByteTracker();
        for (int f = 0; f < 10; f++) {
            Box b = walker(f, 0.9).box();
            Instance car = new Instance(b, 0.9, 3, "car", null);
            Instance human = f % 2 == 0 ? walker(f, 0.9) : null;
            List<Instance> in = human == null ? List.of(car) : List.of(human, car);
            for (Instance i : t.update(in)) {
                assertEquals(i.categoryId() == 1 ? 1 : 2, i.trackId(), "frame " + f + " " + i.label());
            }
        }
    }

    @Test
    void maskIouSeparatesPeopleWithTheSameBox() {
        // Two people standing in one box (one half-hidden behind the other): only their masks tell them apart.
        ByteTracker t = new ByteTracker(TrackerConfig.defaults().withUseMaskIou(true));
        Box box = new Box(100, 100, 200, 300);
        BitMask left = MaskShiftTest.rect(W, H, 100, 100, 150, 300);
        BitMask right = MaskShiftTest.rect(W, H, 150, 100, 200, 300);
        for (int f = 0; f < 20; f++) {
            Instance l = new Instance(box, 0.9, 1, "person", left);
            Instance r = new Instance(box, 0.9, 1, "person", right);
            List<Instance> out = t.update(f % 2 == 0 ? List.of(l, r) : List.of(r, l));
            assertEquals(2, out.size());
            for (Instance i : out) {
                assertEquals(i.mask() == left ? 1 : 2, i.trackId(), "frame " + f);
            }
        }
    }

    @Test
    void maskIouTracksAWalker() {
        ByteTracker t = new ByteTracker(TrackerConfig.defaults().withUseMaskIou(true));
        for (int f = 0; f < 40; f++) {
            assertEquals(1, only(t.update(List.of(personWithMask(20 + 5 * f, 50, 40, 120, 0.8)))).trackId());
        }
    }

    @Test
    void deterministicAndResettable() {
        ByteTracker t = new ByteTracker();
        List<List<Instance>> first = crowd(t);
        assertTrue(t.nextId() > 1);
        t.reset();
        assertEquals(1, t.nextId());
        assertEquals(0, t.frameCount());
        assertTrue(t.tracks().isEmpty());
        assertEquals(first, crowd(t));
        assertEquals(first, crowd(new ByteTracker()));
    }

    @Test
    void hundredPeopleKeepTheirIds() {
        ByteTracker t = new ByteTracker();
        List<List<Instance>> frames = crowd(t);
        List<Instance> firstFrame = frames.get(0);
        assertEquals(100, firstFrame.size());
        for (List<Instance> out : frames) {
            assertEquals(100, out.size());
            for (int k = 0; k < 100; k++) {
                assertEquals(k + 1, out.get(k).trackId());
            }
        }
    }

    /** 100 people on a 10 x 10 grid, each walking its own way, 100 frames. */
    private static List<List<Instance>> crowd(ByteTracker t) {
        List<List<Instance>> outs = new ArrayList<>();
        for (int f = 0; f < 100; f++) {
            List<Instance> in = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                double vx = (k % 7) - 3, vy = ((k * 3) % 5) - 2;
                in.add(person(k % 10 * 150 + vx * f * 0.5, k / 10 * 200 + vy * f * 0.5, 50, 140, 0.6 + k % 4 * 0.1));
            }
            outs.add(t.update(in));
        }
        return outs;
    }

    private static Instance find(List<Instance> out, Box box) {
        return out.stream().filter(i -> i.box().equals(box)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance at " + box + " in " + out));
    }
}
