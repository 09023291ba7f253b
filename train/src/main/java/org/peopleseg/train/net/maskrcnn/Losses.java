package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.peopleseg.train.net.Scalars;

/**
 * The loss functions of torchvision's detection heads, written with DJL ops (gradients through autograd); scalars
 * via {@link Scalars#of}, never DJL's Number overloads.
 */
final class Losses {
    private Losses() {}

    /** {@code F.smooth_l1_loss(x, y, beta, reduction="sum")}: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta. */
    static NDArray smoothL1Sum(NDArray x, NDArray y, float beta) {
        NDArray d = x.sub(y).abs();
        NDArray quad = d.mul(d).mul(Scalars.of(d, 0.5f / beta));
        NDArray lin = d.sub(Scalars.of(d, 0.5f * beta));
        return NDArrays.where(d.lt(Scalars.of(d, beta)), quad, lin).sum();
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(x, z)}, mean: max(x, 0) - x z + log(1 + exp(-|x|)), the stable
     * form libtorch uses.
     */
    static NDArray bceWithLogitsMean(NDArray x, NDArray z) {
        NDArray loss = x.maximum(Scalars.of(x, 0f)).sub(x.mul(z)).add(x.abs().neg().exp().add(Scalars.of(x, 1f)).log());
        return loss.mean();
    }

    /**
     * {@code F.cross_entropy(logits, labels)}, mean over rows.
     *
     * @param logits [R, K]
     * @param flatIndex per row r, r * K + label_r (int64 [R])
     */
    static NDArray crossEntropyMean(NDArray logits, NDArray flatIndex) {
        NDArray logp = logits.logSoftmax(1).reshape(-1);
        return logp.get(flatIndex).neg().mean();
    }
}
