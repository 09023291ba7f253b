package org.peopleseg.train.yolo.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * The raw head outputs of one image, in the layout the loss reads.
 *
 * @param dist   [anchors, 4, regMax] box-distribution logits (sides l, t, r, b; before the DFL softmax)
 * @param cls    [anchors, classes] class logits (before the sigmoid)
 * @param coeffs [anchors, M] mask coefficients
 * @param protos [M, Hp, Wp] prototypes
 */
public record HeadTensors(NDArray dist, NDArray cls, NDArray coeffs, NDArray protos) {

    /**
     * From the graph's values: {@code raw} [1, 4 * regMax + allClasses, anchors], {@code coefficients}
     * [1, M, anchors], {@code protos} [1, M, Hp, Wp]; {@code classRows} the raw channels of the trained classes.
     */
    public static HeadTensors of(NDArray raw, NDArray coefficients, NDArray protos, int regMax, int[] classRows) {
        long n = raw.getShape().get(2);
        NDArray dist = raw.get(new NDIndex("0, 0:{}, :", 4 * regMax)).reshape(4, regMax, n).transpose(2, 0, 1);
        NDList rows = new NDList();
        for (int r : classRows) {
            rows.add(raw.get(new NDIndex("0, {}:{}, :", r, r + 1)));
        }
        NDArray cls = (rows.size() == 1 ? rows.get(0) : NDArrays.concat(rows, 0)).transpose(1, 0);
        NDArray coeffs = coefficients.get(0).transpose(1, 0);
        NDArray p = protos == null ? null : protos.get(0);
        return new HeadTensors(dist, cls, coeffs, p);
    }
}
