package org.peopleseg.core.result;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.peopleseg.core.io.AtomicFiles;

/**
 * Writes a run's detections as a COCO results file ({@code results.json}), image by image, plus the matching image
 * list ({@code images.json}) — the files {@code pycocotools}' {@code loadRes}/{@code COCOeval} and every COCO tool read.
 *
 * <p>One entry per instance: {@code {"image_id", "category_id", "bbox": [x,y,w,h], "score",
 * "segmentation": {"size": [h,w], "counts": "<compressed RLE>"}}}, the segmentation omitted for box-only instances.
 * Masks are encoded when an image is added, so a long run holds only the small image list in memory, never the
 * bitmaps. Number formatting: see {@link JsonOutput}.
 *
 * <p>The file appears only when {@link #finish()} succeeds (written atomically); closing without finishing
 * discards it, so a crashed run never leaves a truncated JSON list behind. Not thread-safe.
 *
 * <pre>{@code
 * try (CocoResultsWriter out = CocoResultsWriter.open(dir.resolve("results.json"))) {
 *     for (...) out.add(imageId, segmenter.segment(image, fileName));
 *     out.finish();
 *     out.writeImages(dir.resolve("images.json"));
 * }
 * }</pre>
 */
public final class CocoResultsWriter implements Closeable {
    private final AtomicFiles.Pending pending;
    private final JsonGenerator json;
    private final List<ImageEntry> images = new ArrayList<>();
    private final Set<Long> imageIds = new HashSet<>();
    private long detectionCount;
    private boolean finished;

    /** An image of the run, as {@code images.json} lists it; {@code fileName} is the detections' source. */
    public record ImageEntry(long id, String fileName, int width, int height) {}

    private CocoResultsWriter(AtomicFiles.Pending pending) throws IOException {
        this.pending = pending;
        this.json = JsonOutput.generator(pending.stream());
        json.writeStartArray();
    }

    /** Starts {@code file}; nothing is visible there until {@link #finish()}. */
    public static CocoResultsWriter open(Path file) throws IOException {
        AtomicFiles.Pending p = AtomicFiles.open(file);
        try {
            return new CocoResultsWriter(p);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * Appends every instance of one image.
     *
     * @param imageId the COCO image id (the ground truth's when evaluating); each id may be added once
     * @throws IllegalArgumentException for a repeated id or a mask whose size is not the image's
     */
    public void add(long imageId, Detections detections) throws IOException {
        if (imageIds.contains(imageId)) {
            throw new IllegalArgumentException("image id " + imageId + " added twice (" + detections.source() + ")");
        }
        // encode (and check) every mask before writing anything, so a bad instance cannot leave half an entry
        add(imageId, detections.source(), detections.width(), detections.height(), EncodedInstance.encode(detections));
    }

    /**
     * Appends one image's instances already encoded (e.g. computed on other machines); written exactly as
     * {@link #add(long, Detections)} writes the detections they were encoded from.
     */
    public void add(long imageId, String source, int width, int height, List<EncodedInstance> instances)
            throws IOException {
        if (finished) {
            throw new IllegalStateException("results already finished: " + pending.target());
        }
        if (imageIds.contains(imageId)) {
            throw new IllegalArgumentException("image id " + imageId + " added twice (" + source + ")");
        }
        imageIds.add(imageId);
        for (EncodedInstance inst : instances) {
            json.writeStartObject();
            json.writeNumberField("image_id", imageId);
            json.writeNumberField("category_id", inst.categoryId());
            JsonOutput.writeArray(json, "bbox", JsonOutput.xywh(inst.box()));
            json.writeNumberField("score", inst.score());
            if (inst.mask() != null) {
                JsonOutput.writeSegmentation(json, inst.mask());
            }
            json.writeEndObject();
            json.writeRaw('\n'); // one detection per line: diffable, greppable, still one JSON list
        }
        images.add(new ImageEntry(imageId, source, width, height));
        detectionCount += instances.size();
    }

    /** Number of detections written so far. */
    public long detectionCount() {
        return detectionCount;
    }

    /** The images added so far, in order. */
    public List<ImageEntry> images() {
        return List.copyOf(images);
    }

    /** Closes the list and makes the file visible. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        json.writeEndArray();
        json.writeRaw('\n');
        json.close();
        pending.commit();
        finished = true;
    }

    /**
     * Writes the images added so far as {@code [{"id", "file_name", "width", "height"}, ...]}, the {@code images}
     * part of a COCO dataset, so results can be evaluated or viewed with the right sizes.
     */
    public void writeImages(Path file) throws IOException {
        writeImages(file, images);
    }

    /** {@code images.json} for any list of images. */
    public static void writeImages(Path file, List<ImageEntry> images) throws IOException {
        AtomicFiles.write(file, out -> writeImages(out, images));
    }

    static void writeImages(OutputStream out, List<ImageEntry> images) throws IOException {
        try (JsonGenerator g = JsonOutput.generator(out)) {
            g.writeStartArray();
            for (ImageEntry im : images) {
                g.writeStartObject();
                g.writeNumberField("id", im.id());
                g.writeStringField("file_name", im.fileName());
                g.writeNumberField("width", im.width());
                g.writeNumberField("height", im.height());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
    }

    /** Discards the file unless {@link #finish()} succeeded. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            try {
                json.close();
            } catch (IOException | RuntimeException ignored) {
                // discarding anyway
            }
        }
        pending.close();
    }
}
