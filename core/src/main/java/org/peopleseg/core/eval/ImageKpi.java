package org.peopleseg.core.eval;

/**
 * KPI counts of one image at one threshold; {@link #errors()} ranks images for a "worst images" gallery.
 *
 * @param objects ground-truth objects in the image (crowd regions excluded)
 */
public record ImageKpi(long imageId, String fileName, int objects, int tp, int fp, int fn, int ignored) {

    /** Missed objects plus false detections. */
    public int errors() {
        return fp + fn;
    }
}
