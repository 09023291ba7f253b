package org.peopleseg.train.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with constants that is safe on a path with gradients. Use these, never DJL's {@code x.mul(Number)},
 * {@code div(Number)}, {@code add(Number)}, {@code maximum(Number)} or {@code clip(Number, Number)}, on any array
 * that a backward pass will go through.
 *
 * <p>Why: DJL 0.36 makes the constant of those methods a tensor over a Java direct buffer ({@code torch::from_blob},
 * the buffer owned by the Java object) and closes it as soon as the op returns. Autograd keeps that tensor for the
 * backward pass (a product's gradient is the other factor; {@code maximum} and {@code clamp} compare against it), so
 * once a garbage collection has freed the buffer, the backward pass reads — and the allocator may already have
 * handed out — freed memory. Seen in the YOLO fine-tuning as runs with the same seed that differ from one step on
 * (after a collection), non-finite gradients with finite losses, and heap corruption (SIGSEGV in
 * {@code TensorImpl::~TensorImpl}, glibc "unaligned tcache chunk"); a small young generation ({@code -Xmn4m})
 * makes it happen within a few dozen steps. The constants here come from {@code NDManager.full}: libtorch owns
 * their memory and frees it when the last reference, autograd's included, goes.
 *
 * <p>Each constant is attached to the manager of the array it is used with (the step's, on the training path).
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-d constant of {@code like}'s type, in like's manager, over memory libtorch owns. */
    public static NDArray of(NDArray like, float v) {
        return like.getManager().full(new Shape(), v, like.getDataType());
    }

    public static NDArray mul(NDArray x, float v) {
        return x.mul(of(x, v));
    }

    public static NDArray div(NDArray x, float v) {
        return x.div(of(x, v));
    }

    public static NDArray add(NDArray x, float v) {
        return x.add(of(x, v));
    }

    /** {@code max(x, v)} elementwise (torch.maximum: at a tie the gradient is shared half and half). */
    public static NDArray maximum(NDArray x, float v) {
        return x.maximum(of(x, v));
    }

    /**
     * {@code clamp(x, lo, hi)} with torch.clamp's gradient: the incoming gradient where {@code lo <= x <= hi}, zero
     * elsewhere. The clamped values are computed without gradients (so no constant is kept) and chosen with a where.
     */
    public static NDArray clamp(NDArray x, float lo, float hi) {
        NDArray detached = x.stopGradient();
        NDArray clamped = detached.clip(lo, hi);
        NDArray inside = clamped.eq(detached);
        return NDArrays.where(inside, x, clamped);
    }
}
