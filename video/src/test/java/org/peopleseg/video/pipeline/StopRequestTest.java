package org.peopleseg.video.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.video.SharedFiles;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;

/** Ctrl-C: requestStop() while a file is still playing finishes every output, complete and valid. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopRequestTest {
    @TempDir
    Path dir;

    @Test
    void stopRequestFinishesEveryOutput() throws Exception {
        Path vtest = SharedFiles.vtest();
        StringWriter log = new StringWriter();
        StreamPipeline p = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                // three plays (2385 frames): still running when the stop comes, however fast the machine
                List.of(SourceSpec.of(vtest.toString()).withLoops(3)), OutputSelection.all(dir),
                new StreamOptions(1, 40, 4, TrackerConfig.defaults(), 0, 0, 0), new PrintWriter(log, true));
        AtomicReference<StreamSummary> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                result.set(p.run());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "pipeline");
        runner.start();
        Thread.sleep(1500);
        assertTrue(runner.isAlive(), "2385 frames take longer than 1.5 s");
        long stopAt = System.nanoTime();
        p.requestStop();
        runner.join(10_000);
        double stopSecs = (System.nanoTime() - stopAt) / 1e9;
        assertFalse(runner.isAlive(), "run() returned after the stop request");
        assertTrue(stopSecs < 5, "stopped promptly: " + stopSecs + " s");
        assertEquals(null, failure.get());
        StreamSummary s = result.get();
        assertNotNull(s);
        assertTrue(s.interrupted());
        StreamSummary.Source src = s.sources().get(0);
        long written = src.framesWritten();
        assertTrue(written > 0 && written < 3 * 795, "written " + written);
        assertEquals(src.framesRead(), written);
        assertEquals(3, src.outputs().size(), src.outputs().toString());

        Path mp4 = dir.resolve("vtest.mp4");
        assertTrue(Files.isRegularFile(mp4));
        StreamPipelineTest.Decoded d = StreamPipelineTest.decode(mp4);
        assertEquals(written, d.frames(), "the video holds every written frame and is playable");
        assertEquals(768, d.width());

        List<String> lines = Files.readAllLines(dir.resolve("vtest.jsonl"));
        assertEquals(written, lines.size());
        long tracked = 0;
        long lastTrackedFrame = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode l = StreamPipelineTest.JSON.readTree(lines.get(i)); // each line complete JSON
            assertEquals(i + 1, l.get("frame").asInt());
            for (JsonNode person : l.get("people")) {
                if (person.has("track_id")) {
                    tracked++;
                    lastTrackedFrame = i + 1;
                }
            }
        }
        // the stand-in person jumps back every 150 frames and is a new track for min-hits frames: the MOT file
        // holds exactly the tracked people of the JSON lines, up to the last written frame
        List<String> mot = Files.readAllLines(dir.resolve("vtest.mot.txt"));
        assertEquals(tracked, mot.size());
        assertTrue(tracked >= written - 2 * (written / 150 + 1), "tracked " + tracked + " of " + written);
        assertEquals(lastTrackedFrame, Long.parseLong(mot.get(mot.size() - 1).split(",")[0]));
        assertEquals(List.of(), StreamPipelineTest.hiddenFiles(dir), "no temporary files left");
    }
}
