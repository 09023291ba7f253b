package org.peopleseg.core.eval.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.SharedData;

/**
 * The real MOT ground truth of PETS2009 S3.MF.1 (…/shared/data/pets2009-s3mf1/gt/gt.txt: 620 boxes of 7 people,
 * flag column -1 throughout). Skipped when the shared data is absent.
 */
class PetsGroundTruthTest {

    private static MotSequence groundTruth() throws IOException {
        return MotReader.readGroundTruth(SharedData.resolve("data/pets2009-s3mf1/gt/gt.txt"));
    }

    @Test
    void againstItselfIsPerfect(@TempDir Path dir) throws IOException {
        MotSequence gt = groundTruth();
        assertEquals(620, gt.boxes());
        assertEquals(7, gt.ids());
        assertEquals(0, gt.ignoredRows());
        // written and read back as tracker output: the writer loses nothing the metrics use
        Path copy = dir.resolve("tracks.txt");
        MotWriter.write(copy, gt.records());
        TrackingMetrics m = TrackingEvaluator.evaluate(gt, MotReader.readHypotheses(copy), 0.5);
        assertEquals(620, m.clear().objects());
        assertEquals(620, m.clear().matches());
        assertEquals(7, m.clear().uniqueObjects());
        assertEquals(7, m.clear().mostlyTracked());
        assertEquals(0, m.clear().switches() + m.clear().fragmentations() + m.clear().falsePositives()
                + m.clear().misses());
        assertEquals(1.0, m.mota());
        assertEquals(1.0, m.motp(), 1e-12);
        assertEquals(new IdentityCounts(620, 0, 0), m.identity());
        assertEquals(1.0, m.idf1());
        assertEquals(new DetectionCounts(620, 0, 0), m.detection());
    }

    /**
     * Track 1 relabelled as a new track 1001 from the middle of its life on: exactly one ID switch, nothing else
     * for CLEAR-MOT; for IDF1 the shorter half is lost on both sides.
     */
    @Test
    void oneTrackRelabelledHalfwayIsOneSwitch() throws IOException {
        MotSequence gt = groundTruth();
        List<Integer> frames = gt.records().stream().filter(r -> r.id() == 1).map(MotRecord::frame).toList();
        int middle = frames.get(frames.size() / 2);
        List<MotRecord> tracks = new ArrayList<>();
        int relabelled = 0;
        for (MotRecord r : gt.records()) {
            if (r.id() == 1 && r.frame() >= middle) {
                tracks.add(new MotRecord(r.frame(), 1001, r.x(), r.y(), r.width(), r.height(), r.score()));
                relabelled++;
            } else {
                tracks.add(r);
            }
        }
        int kept = frames.size() - relabelled;
        TrackingMetrics m = TrackingEvaluator.evaluate(gt, MotSequence.of("tracks", tracks), 0.5);
        assertEquals(1, m.clear().switches());
        assertEquals(620, m.clear().matches());
        assertEquals(0, m.clear().falsePositives() + m.clear().misses() + m.clear().fragmentations());
        assertEquals(1 - 1 / 620.0, m.mota(), 1e-12);
        int lost = Math.min(kept, relabelled);
        assertEquals(new IdentityCounts(620 - lost, lost, lost), m.identity());
        assertEquals(8, m.hypIds());
    }
}
