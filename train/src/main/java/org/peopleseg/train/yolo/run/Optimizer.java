package org.peopleseg.train.yolo.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SGD with Nesterov momentum or AdamW, torch's update rules (as Ultralytics builds them: three parameter groups —
 * conv weights with weight decay, BN weights and biases without; here BN is folded, so two). State arrays live in
 * the optimiser's manager; each step's temporaries in a sub-manager closed at the end of the step.
 */
final class Optimizer implements AutoCloseable {
    private final String kind;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> buf1 = new LinkedHashMap<>();
    private final Map<String, NDArray> buf2 = new LinkedHashMap<>();
    private long steps;

    Optimizer(String kind, double weightDecay, NDManager parent) {
        this.kind = kind;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
    }

    /** Biases (1-D) have no weight decay, as in Ultralytics' parameter groups. */
    static boolean isBias(NDArray p) {
        return p.getShape().dimension() == 1;
    }

    /**
     * One update of {@code params} (their gradients hold the accumulated sum), then clears the gradients.
     *
     * @param momentum SGD momentum or Adam beta1
     */
    void step(Map<String, NDArray> params, List<String> trainable, double weightLr, double biasLr, double momentum) {
        steps++;
        try (NDManager tmp = manager.newSubManager()) {
            for (String name : trainable) {
                NDArray p = params.get(name);
                NDArray g = p.getGradient();
                g.attach(tmp);
                boolean bias = isBias(p);
                double lr = bias ? biasLr : weightLr;
                double wd = bias ? 0 : weightDecay;
                if (kind.equals("SGD")) {
                    // torch SGD(nesterov=True): d = g + wd*p; b = m*b + d; p -= lr * (d + m*b)
                    NDArray d = wd > 0 ? g.add(own(p.mul((float) wd), tmp)) : g.duplicate();
                    d.attach(tmp);
                    NDArray b = buf1.get(name);
                    if (b == null) {
                        b = d.duplicate();
                        b.attach(manager);
                        buf1.put(name, b);
                    } else {
                        b.muli((float) momentum).addi(d);
                    }
                    NDArray upd = own(d.add(own(b.mul((float) momentum), tmp)), tmp);
                    p.subi(upd.muli((float) lr));
                } else {
                    // torch AdamW: p *= 1 - lr*wd; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
                    // p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
                    double b1 = momentum, b2 = 0.999, eps = 1e-8;
                    NDArray m = buf1.computeIfAbsent(name, k -> zeros(p));
                    NDArray v = buf2.computeIfAbsent(name, k -> zeros(p));
                    if (wd > 0) {
                        p.muli((float) (1 - lr * wd));
                    }
                    m.muli((float) b1).addi(g.mul((float) (1 - b1)));
                    v.muli((float) b2).addi(g.square().muli((float) (1 - b2)));
                    double c1 = 1 - Math.pow(b1, steps), c2 = 1 - Math.pow(b2, steps);
                    NDArray denom = own(own(v.div((float) c2), tmp).sqrt(), tmp).addi((float) eps);
                    NDArray upd = own(m.div(denom), tmp).muli((float) (lr / c1));
                    p.subi(upd);
                }
                g.subi(g); // zero in place: torch accumulates into .grad until cleared
            }
        }
    }

    /** Moves a temporary into the step's manager (DJL puts a result in its first operand's manager). */
    private static NDArray own(NDArray a, NDManager tmp) {
        a.attach(tmp);
        return a;
    }

    private NDArray zeros(NDArray like) {
        NDArray z = manager.zeros(like.getShape());
        return z;
    }

    long steps() {
        return steps;
    }

    String kind() {
        return kind;
    }

    /** State for a checkpoint: the buffers by "1:name" / "2:name". */
    Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        buf1.forEach((k, v) -> out.put("1:" + k, v));
        buf2.forEach((k, v) -> out.put("2:" + k, v));
        return out;
    }

    void restore(Map<String, float[]> state, Map<String, NDArray> params, long steps) {
        this.steps = steps;
        state.forEach((k, v) -> {
            String name = k.substring(2);
            NDArray a = manager.create(v, params.get(name).getShape());
            (k.startsWith("1:") ? buf1 : buf2).put(name, a);
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
