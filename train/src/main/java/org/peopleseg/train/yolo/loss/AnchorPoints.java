package org.peopleseg.train.yolo.loss;

/**
 * The anchor-free head's anchor points, in the order of the head's anchor axis: per level (strides 8, 16, 32),
 * row-major cells, the point at the cell centre. As Ultralytics' {@code make_anchors} (utils/tal.py): coordinates in
 * grid units of the level ({@code x + 0.5}), with the level's stride beside it.
 */
public record AnchorPoints(float[] x, float[] y, float[] stride) {
    public static final int[] YOLO_STRIDES = {8, 16, 32};

    public static AnchorPoints of(int width, int height, int... strides) {
        int n = 0;
        for (int s : strides) {
            if (width % s != 0 || height % s != 0) {
                throw new IllegalArgumentException("input " + width + "x" + height + " is not a multiple of stride "
                        + s);
            }
            n += (width / s) * (height / s);
        }
        float[] x = new float[n], y = new float[n], st = new float[n];
        int i = 0;
        for (int s : strides) {
            for (int r = 0; r < height / s; r++) {
                for (int c = 0; c < width / s; c++) {
                    x[i] = c + 0.5f;
                    y[i] = r + 0.5f;
                    st[i] = s;
                    i++;
                }
            }
        }
        return new AnchorPoints(x, y, st);
    }

    public int size() {
        return x.length;
    }
}
