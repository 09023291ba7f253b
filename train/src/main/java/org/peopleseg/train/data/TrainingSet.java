package org.peopleseg.train.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoCategory;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.io.Sha256;

/**
 * A COCO training set as the trainer uses it: images that exist and decode, each with its usable annotations.
 *
 * <ul>
 *   <li>Categories map to contiguous labels 1..K in category-id order (0 is background); K must be
 *       {@code num_classes - 1}.
 *   <li>{@code skip_crowd_during_training} leaves out iscrowd=1 annotations (else they train as ordinary objects, as
 *       in TAO).
 *   <li>An annotation whose box has no area once clipped to the image is skipped and counted.
 *   <li>{@code max_num_instances} keeps the first N annotations of an image, in file order (TAO truncates).
 *   <li>Every image is decoded once up front: a missing or corrupt file is reported by name, skipped and counted,
 *       so training never stops half-way for it and the data order does not depend on when it was found.
 * </ul>
 */
public final class TrainingSet {
    private final List<TrainingImage> images;
    private final List<String> labelNames;
    private final List<Integer> categoryIds;
    private final List<String> failures;
    private final int skippedAnnotations;
    private final int crowdSkipped;
    private final int truncated;
    private final boolean masks;
    private final String annotationsSha256;

    private TrainingSet(List<TrainingImage> images, List<String> labelNames, List<Integer> categoryIds,
            List<String> failures, int skippedAnnotations, int crowdSkipped, int truncated, boolean masks,
            String annotationsSha256) {
        this.images = List.copyOf(images);
        this.labelNames = List.copyOf(labelNames);
        this.categoryIds = List.copyOf(categoryIds);
        this.failures = List.copyOf(failures);
        this.skippedAnnotations = skippedAnnotations;
        this.crowdSkipped = crowdSkipped;
        this.truncated = truncated;
        this.masks = masks;
        this.annotationsSha256 = annotationsSha256;
    }

    /** Thrown when the data cannot be trained on at all (no usable image, class count mismatch). */
    public static final class DataException extends IOException {
        private static final long serialVersionUID = 1L;

        public DataException(String message) {
            super(message);
        }
    }

    /**
     * @param numClasses  the network's classes including background
     * @param includeMask whether the network trains masks (box-only data then trains only the box losses)
     * @param log         one line per skipped image
     */
    public static TrainingSet load(Path annotations, Path imageDir, ImageSelection selection, int numClasses,
            boolean skipCrowd, int maxInstances, PrintWriter log) throws IOException {
        CocoDataset gt = selection.apply(CocoDataset.read(annotations));
        List<CocoCategory> cats = new ArrayList<>(gt.categories());
        cats.sort((a, b) -> Integer.compare(a.id(), b.id()));
        if (cats.size() != numClasses - 1) {
            throw new DataException(annotations + ": has " + cats.size() + " categories but num_classes "
                    + numClasses + " means " + (numClasses - 1) + " object classes (plus background)");
        }
        Map<Integer, Integer> label = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < cats.size(); i++) {
            label.put(cats.get(i).id(), i + 1);
            names.add(cats.get(i).name());
            ids.add(cats.get(i).id());
        }
        List<TrainingImage> usable = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int skipped = 0;
        int crowd = 0;
        int truncated = 0;
        boolean anyMask = false;
        for (CocoImage image : gt.images()) {
            Path file = imageDir.resolve(image.fileName());
            try {
                var pixels = ImageReader.read(file);
                if (pixels.getWidth() != image.width() || pixels.getHeight() != image.height()) {
                    throw new IOException(file + ": the image is " + pixels.getWidth() + "x" + pixels.getHeight()
                            + " but the annotations say " + image.width() + "x" + image.height());
                }
            } catch (IOException | RuntimeException e) {
                String message = e.getMessage() != null && e.getMessage().contains(image.fileName()) ? e.getMessage()
                        : file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                failures.add(message);
                log.println("skipped training image: " + message);
                log.flush();
                continue;
            }
            List<CocoAnnotation> kept = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (CocoAnnotation a : gt.annotationsOf(image.id())) {
                if (a.crowd() && skipCrowd) {
                    crowd++;
                    continue;
                }
                Integer l = label.get(a.categoryId());
                if (l == null || !usableBox(a, image)) {
                    skipped++;
                    continue;
                }
                if (maxInstances > 0 && kept.size() >= maxInstances) {
                    truncated++;
                    continue;
                }
                kept.add(a);
                labels.add(l);
                anyMask |= a.hasSegmentation();
            }
            usable.add(new TrainingImage(image, file, kept, labels.stream().mapToInt(Integer::intValue).toArray()));
        }
        if (usable.isEmpty()) {
            throw new DataException(annotations + ": no training image could be read from " + imageDir
                    + (failures.isEmpty() ? "" : " (" + failures.size() + " failed, first: " + failures.get(0) + ")"));
        }
        return new TrainingSet(usable, names, ids, failures, skipped, crowd, truncated, anyMask, Sha256.hex(annotations));
    }

    /** A box with positive width and height once clipped to the image. */
    static boolean usableBox(CocoAnnotation a, CocoImage image) {
        double x1 = Math.max(0, a.bbox().x());
        double y1 = Math.max(0, a.bbox().y());
        double x2 = Math.min(image.width(), a.bbox().x() + a.bbox().width());
        double y2 = Math.min(image.height(), a.bbox().y() + a.bbox().height());
        return Double.isFinite(x1 + y1 + x2 + y2) && x2 > x1 && y2 > y1;
    }

    public List<TrainingImage> images() {
        return images;
    }

    public int size() {
        return images.size();
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public List<Integer> categoryIds() {
        return categoryIds;
    }

    /** One message per image that could not be read. */
    public List<String> failures() {
        return failures;
    }

    /** Annotations left out because their box has no area (or their category is unknown). */
    public int skippedAnnotations() {
        return skippedAnnotations;
    }

    public int crowdSkipped() {
        return crowdSkipped;
    }

    /** Annotations beyond max_num_instances. */
    public int truncatedAnnotations() {
        return truncated;
    }

    /** Whether any annotation has a mask (box-only data trains no mask loss). */
    public boolean hasMasks() {
        return masks;
    }

    public String annotationsSha256() {
        return annotationsSha256;
    }

    public int instances() {
        return images.stream().mapToInt(i -> i.annotations().size()).sum();
    }
}
