package org.peopleseg.core.eval;

/** What a detection is compared with: its box or its mask (pycocotools' {@code iouType}). */
public enum IouType {
    BBOX("bbox"),
    SEGM("segm");

    private final String cocoName;

    IouType(String cocoName) {
        this.cocoName = cocoName;
    }

    /** {@code "bbox"} or {@code "segm"}, as pycocotools and metrics.json spell it. */
    public String cocoName() {
        return cocoName;
    }
}
