package org.peopleseg.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.EncodedInstance;
import org.peopleseg.models.PackagedSegmenter;

/**
 * The executor side of the job: {@code (path, content)} rows of Spark's {@code binaryFile} source in, one
 * {@link ResultRows} row per image out. Images are decoded, segmented and their masks RLE-encoded here, so only
 * the compact result travels back. An image that cannot be decoded or segmented becomes a row with its error; the
 * partition goes on.
 */
final class SegmentPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final int threads;
    private final double threshold;
    private final Broadcast<Map<String, Long>> imageIds;

    SegmentPartition(String model, int threads, double threshold, Broadcast<Map<String, Long>> imageIds) {
        this.model = model;
        this.threads = threads;
        this.threshold = threshold;
        this.imageIds = imageIds;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        PackagedSegmenter segmenter = SegmenterHolder.get(model, threads, threshold);
        Map<String, Long> ids = imageIds.value();
        return new Iterator<>() { // lazily, one image at a time: a partition's pixels are never all in memory
            @Override
            public boolean hasNext() {
                return input.hasNext();
            }

            @Override
            public Row next() {
                Row in = input.next();
                String path = in.getAs("path");
                Long id = ids.get(path);
                if (id == null) {
                    return ResultRows.failed(path, 0, InputListing.displayPath(path)
                            + ": not an image of the ground truth (no file_name matches)");
                }
                long imageId = id;
                try {
                    BufferedImage image = ImageReader.read((byte[]) in.getAs("content"), InputListing.displayPath(path));
                    Detections d = segmenter.segment(image, InputListing.fileName(path));
                    return ResultRows.ok(path, imageId, d.width(), d.height(), EncodedInstance.encode(d));
                } catch (IOException | RuntimeException e) {
                    String message = e.getMessage() == null ? e.toString() : e.getMessage();
                    String file = InputListing.displayPath(path);
                    return ResultRows.failed(path, imageId, message.contains(file) ? message : file + ": " + message);
                }
            }
        };
    }
}
