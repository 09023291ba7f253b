package org.peopleseg.core.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EvaluationReport} needs besides the numbers: where they came from (model, files), whether the model is
 * untrained, where the pictures are, and how big the gallery is. Fluent setters; defaults suit a CLI run.
 */
public final class ReportOptions {
    /** Worst images shown when not set. */
    public static final int DEFAULT_GALLERY_SIZE = 12;
    /** Width of each gallery thumbnail in pixels when not set. */
    public static final int DEFAULT_THUMBNAIL_WIDTH = 480;

    private String title = "peopleseg evaluation";
    private String modelDescription = "";
    private boolean untrained;
    private String groundTruthName = "";
    private String resultsName = "";
    private Path imageDir;
    private int gallerySize = DEFAULT_GALLERY_SIZE;
    private int thumbnailWidth = DEFAULT_THUMBNAIL_WIDTH;
    private DatasetInfo datasetInfo = DatasetInfo.NONE;
    private final List<String> notes = new ArrayList<>();

    public String title() {
        return title;
    }

    public ReportOptions title(String title) {
        this.title = Objects.requireNonNull(title);
        return this;
    }

    /** The model (file, architecture, weights' provenance), or where the results came from; may be empty. */
    public String modelDescription() {
        return modelDescription;
    }

    public ReportOptions modelDescription(String description) {
        this.modelDescription = description == null ? "" : description;
        return this;
    }

    /**
     * Whether the weights are untrained (deterministic formula weights): the report then carries a banner saying
     * that its numbers are not the product's accuracy.
     */
    public boolean untrained() {
        return untrained;
    }

    public ReportOptions untrained(boolean untrained) {
        this.untrained = untrained;
        return this;
    }

    /** How the ground truth is named in the report (a path). */
    public String groundTruthName() {
        return groundTruthName;
    }

    public ReportOptions groundTruthName(String name) {
        this.groundTruthName = name == null ? "" : name;
        return this;
    }

    /** How the detections are named in the report (a results file, or "model run"). */
    public String resultsName() {
        return resultsName;
    }

    public ReportOptions resultsName(String name) {
        this.resultsName = name == null ? "" : name;
        return this;
    }

    /**
     * The folder holding the ground-truth images by {@code file_name}, or null: gallery pictures are then drawn on a
     * plain background.
     */
    public Path imageDir() {
        return imageDir;
    }

    public ReportOptions imageDir(Path dir) {
        this.imageDir = dir;
        return this;
    }

    /** How many of the worst images the gallery shows (0: no gallery). */
    public int gallerySize() {
        return gallerySize;
    }

    public ReportOptions gallerySize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("gallery size must be 0 or more, got " + n);
        }
        this.gallerySize = n;
        return this;
    }

    public int thumbnailWidth() {
        return thumbnailWidth;
    }

    public ReportOptions thumbnailWidth(int px) {
        if (px < 32) {
            throw new IllegalArgumentException("thumbnail width must be at least 32 px, got " + px);
        }
        this.thumbnailWidth = px;
        return this;
    }

    /** Licences and origin of the ground truth, for attribution under each picture. */
    public DatasetInfo datasetInfo() {
        return datasetInfo;
    }

    public ReportOptions datasetInfo(DatasetInfo info) {
        this.datasetInfo = info == null ? DatasetInfo.NONE : info;
        return this;
    }

    /** Remarks shown near the top (images that failed, a --limit in effect). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public ReportOptions note(String note) {
        notes.add(Objects.requireNonNull(note));
        return this;
    }
}
