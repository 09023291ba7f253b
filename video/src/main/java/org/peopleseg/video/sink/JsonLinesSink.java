package org.peopleseg.video.sink;

import java.io.IOException;
import java.nio.file.Path;
import org.peopleseg.core.result.FrameJsonLine;
import org.peopleseg.video.pipeline.FrameResult;

/** NAME.jsonl: one line per frame with every person's track id, box, score and mask (COCO RLE). */
public final class JsonLinesSink extends TextLinesSink {

    public JsonLinesSink(Path file) throws IOException {
        super(file);
    }

    @Override
    public void write(FrameResult r) throws IOException {
        writeLine(FrameJsonLine.toLine(r.source(), r.frameNumber(), r.frame().timestampMs(), r.inferred(),
                r.detections()));
    }
}
