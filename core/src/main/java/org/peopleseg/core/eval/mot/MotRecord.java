package org.peopleseg.core.eval.mot;

import org.peopleseg.core.geometry.Box;

/**
 * One row of a MOTChallenge text file ({@code frame,id,x,y,w,h,conf,x,y,z}): a box of one object (ground truth) or
 * one track (tracker output) in one frame, in pixels with (x, y) the top-left corner. The trailing world coordinates
 * (or, in MOT16+ ground truth, class and visibility) are not kept: no metric here uses them.
 *
 * @param frame  frame number (MOTChallenge counts from 1)
 * @param id     object or track id, unique within a frame
 * @param score  the 7th column: the tracker's confidence in a hypothesis file; in a ground-truth file the
 *               "consider" flag (0 = ignore, rows dropped when read; 1 or -1 = a normal object)
 */
public record MotRecord(int frame, int id, double x, double y, double width, double height, double score) {

    public MotRecord {
        if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(score))) {
            throw new IllegalArgumentException("not finite: x=" + x + " y=" + y + " score=" + score);
        }
        if (!(width >= 0 && height >= 0 && Double.isFinite(width) && Double.isFinite(height))) {
            throw new IllegalArgumentException("box width and height must be finite and >= 0, got " + width + " x "
                    + height);
        }
    }

    /** A row with score 1 (a normal ground-truth object, or a hypothesis without a confidence). */
    public static MotRecord of(int frame, int id, double x, double y, double width, double height) {
        return new MotRecord(frame, id, x, y, width, height, 1);
    }

    /** The box with the usual continuous convention (x2 = x + w, no "+1"), as py-motmetrics computes IoU. */
    public Box box() {
        return Box.fromXywh(x, y, width, height);
    }
}
