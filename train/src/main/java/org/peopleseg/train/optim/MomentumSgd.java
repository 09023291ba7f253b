package org.peopleseg.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum and weight decay as TAO's MaskRCNN trains (TF1 {@code MomentumOptimizer} on the loss plus
 * {@code l2_weight_decay * sum(tf.nn.l2_loss(w))} and {@code l1_weight_decay * sum|w|} over the weights that are not
 * batch norm or biases), which is also {@code torch.optim.SGD(momentum=m, weight_decay=wd, dampening=0,
 * nesterov=False)} restricted to those weights:
 *
 * <pre>
 *   g = grad + l2 * w + l1 * sign(w)          (decay only for weights of rank >= 2: conv and fc kernels)
 *   g = g * min(1, clip / ||all g||)           (global_gradient_clip_ratio; TF clip_by_global_norm, off at 0)
 *   v = momentum * v + g                       (v starts at 0, so the first v is g, as torch's buffer)
 *   w = w - lr * v
 * </pre>
 *
 * The learning rate multiplies at update time (TF and torch agree), so a changed rate does not rescale the
 * accumulated velocity. {@link #step} also zeroes the gradients (libtorch accumulates them).
 */
public final class MomentumSgd implements AutoCloseable {
    private final List<Parameter> parameters;
    private final double momentum;
    private final double l2;
    private final double l1;
    private final double clipNorm;
    private final NDManager state;
    private final List<NDArray> velocity;

    public MomentumSgd(List<Parameter> parameters, double momentum, double l2, double l1, double clipNorm) {
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.l2 = l2;
        this.l1 = l1;
        this.clipNorm = clipNorm;
        this.state = this.parameters.isEmpty() ? null : this.parameters.get(0).getArray().getManager().newSubManager();
        this.velocity = new ArrayList<>();
        for (int i = 0; i < this.parameters.size(); i++) {
            velocity.add(null);
        }
    }

    /** Whether weight decay applies to a parameter (TAO excludes batch norm and biases, which are the rank-1 ones). */
    static boolean decays(NDArray w) {
        return w.getShape().dimension() >= 2;
    }

    /**
     * One update with learning rate {@code lr}, in float32 libtorch ops in torch.optim.SGD's order.
     *
     * @return the global norm of the (decayed, unclipped) gradient: NaN or infinite means no update was made
     */
    public double step(double lr) {
        int n = parameters.size();
        try (NDManager tmp = state.newSubManager()) {
            List<NDArray> grads = new ArrayList<>(n);
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                NDArray w = parameters.get(i).getArray();
                NDArray g = w.getGradient();
                g.attach(tmp);
                if (decays(w) && l2 != 0) {
                    g = g.add(temp(w.mul(l2), tmp));
                }
                if (decays(w) && l1 != 0) {
                    NDArray sign = temp(w.sign(), tmp);
                    g = g.add(sign.mul(l1));
                }
                sumSq += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
                grads.add(g);
            }
            double norm = Math.sqrt(sumSq);
            if (!Double.isFinite(norm)) {
                return norm;
            }
            double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
            for (int i = 0; i < n; i++) {
                NDArray w = parameters.get(i).getArray();
                NDArray g = scale == 1 ? grads.get(i) : grads.get(i).mul(scale);
                NDArray v = velocity.get(i);
                if (v == null) {
                    v = g.duplicate();
                    v.attach(state);
                    velocity.set(i, v);
                } else {
                    v.muli(momentum).addi(g);
                }
                w.subi(temp(v.mul(lr), tmp));
                NDArray grad = w.getGradient();
                grad.attach(tmp);
                grad.subi(grad);
            }
            return norm;
        }
    }

    /** Arrays made from a parameter belong to the parameter's manager: move them to the step's. */
    private static NDArray temp(NDArray a, NDManager tmp) {
        a.attach(tmp);
        return a;
    }

    /** The velocity buffers, one per parameter in order (null where no step has been made yet). */
    public List<float[]> velocity() {
        List<float[]> copy = new ArrayList<>();
        for (NDArray v : velocity) {
            copy.add(v == null ? null : v.toFloatArray());
        }
        return copy;
    }

    /** Restores buffers written by {@link #velocity()} (a resumed run continues with the same momentum). */
    public void restore(List<float[]> buffers) {
        if (buffers.size() != parameters.size()) {
            throw new IllegalArgumentException("optimiser state has " + buffers.size() + " buffers for "
                    + parameters.size() + " parameters");
        }
        for (int i = 0; i < buffers.size(); i++) {
            float[] b = buffers.get(i);
            NDArray w = parameters.get(i).getArray();
            if (b != null && b.length != w.size()) {
                throw new IllegalArgumentException("optimiser buffer " + i + " (" + parameters.get(i).getName()
                        + ") has " + b.length + " values, the parameter " + w.size());
            }
            if (velocity.get(i) != null) {
                velocity.get(i).close();
            }
            velocity.set(i, b == null ? null : state.create(b, w.getShape()));
        }
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public void close() {
        if (state != null) {
            state.close();
        }
    }
}
