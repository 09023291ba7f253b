package org.peopleseg.video.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.peopleseg.core.result.Instance;
import org.peopleseg.video.pipeline.FrameResult;

/**
 * NAME.mot.txt in the MOTChallenge format: {@code frame,id,x,y,w,h,score,-1,-1,-1} for every tracked person,
 * 1-based frames, boxes in pixels with the top-left corner (x, y). Untracked detections (tracker off, or a track
 * not yet confirmed) have no id and are left out.
 */
public final class MotTracksSink extends TextLinesSink {

    public MotTracksSink(Path file) throws IOException {
        super(file);
    }

    @Override
    public void write(FrameResult r) throws IOException {
        for (Instance inst : r.detections().instances()) {
            if (inst.trackId() < 0) {
                continue;
            }
            writeLine(line(r.frameNumber(), inst));
        }
    }

    static String line(long frame, Instance inst) {
        return String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,%.4f,-1,-1,-1", frame, inst.trackId(),
                inst.box().x1(), inst.box().y1(), inst.box().width(), inst.box().height(), inst.score());
    }
}
