package org.peopleseg.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainableModel;
import org.peopleseg.train.net.TrainingBatch;

/**
 * A small real DJL network for testing the trainer loop before (and independently of) the Mask R-CNN: per-channel
 * means of the image, a linear layer (trainable) and a fixed projection (frozen), regressing five summary numbers
 * of the targets, one squared error per loss term. Real parameters, real autograd, real losses that fall when it
 * learns; not a stand-in for the Mask R-CNN's numbers.
 */
final class TinyTrainable implements TrainableModel {
    private final NDManager manager;
    private final Parameter weight;
    private final Parameter bias;
    private final NDArray frozen;
    private final long nanAtCall;
    private long calls;

    /** @param nanAtCall the call whose mask loss is NaN (0: none); negative: the call (-n) that fails as libtorch would */
    TinyTrainable(long seed, long nanAtCall) {
        this.manager = TrainingEngine.get().newBaseManager();
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[5 * 6];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() - 0.5);
        }
        this.weight = param("head.weight", manager.create(w, new Shape(5, 6)));
        this.bias = param("head.bias", manager.zeros(new Shape(5)));
        this.frozen = manager.create(new float[] {1, 0.5f, -0.5f, 0.25f, 2f, -1f, 0.1f, 0.3f, 0.7f, 1.5f, -0.2f, 0.4f,
            0.9f, -0.8f, 0.6f, 0.2f, 0.05f, -0.3f}, new Shape(3, 6));
        this.nanAtCall = nanAtCall;
    }

    private static Parameter param(String name, NDArray a) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    @Override
    public LossTerms losses(NDManager step, TrainingBatch batch) {
        calls++;
        NDArray x = step.create(batch.pixels(), new Shape(batch.batch(), 3, batch.height(), batch.width()));
        NDArray feat = x.reshape(batch.batch(), 3, -1).mean(new int[] {2}).matMul(frozen); // [B, 6]
        feat.attach(step);
        NDArray out = Linear.linear(feat, weight.getArray(), bias.getArray()).singletonOrThrow(); // [B, 5]
        float[] t = new float[batch.batch() * 5];
        for (int b = 0; b < batch.batch(); b++) {
            ImageTargets it = batch.targets().get(b);
            double n = it.size();
            double cx = 0;
            double area = 0;
            double fill = 0;
            for (int i = 0; i < it.size(); i++) {
                float[] box = it.boxesXyxy().get(i);
                cx += (box[0] + box[2]) / 2 / it.width();
                area += (box[2] - box[0]) * (box[3] - box[1]) / ((double) it.width() * it.height());
                if (it.hasMasks()) {
                    int on = 0;
                    for (byte v : it.masks().get(i)) {
                        on += v;
                    }
                    fill += on / ((double) it.width() * it.height());
                }
            }
            t[b * 5] = (float) (n / 4);
            t[b * 5 + 1] = (float) (n > 0 ? cx / n : 0);
            t[b * 5 + 2] = (float) area;
            t[b * 5 + 3] = (float) (batch.imageSizes().get(b)[1] / (double) it.width());
            t[b * 5 + 4] = (float) fill;
        }
        NDArray target = step.create(t, new Shape(batch.batch(), 5));
        NDArray err = out.sub(target).square().mean(new int[] {0}); // [5]
        NDArray mask = err.get(4);
        if (calls == nanAtCall) {
            mask = mask.mul(Float.NaN);
        }
        if (calls == -nanAtCall) {
            throw new IllegalStateException("addmm: index out of column bound");
        }
        NDArray total = err.get(0).add(err.get(1)).add(err.get(2)).add(err.get(3)).add(mask);
        return new LossTerms(err.get(0), err.get(1), err.get(2), err.get(3), mask, total);
    }

    @Override
    public List<Parameter> trainableParameters() {
        return List.of(weight, bias);
    }

    @Override
    public Map<String, WeightTensor> stateDict() {
        Map<String, WeightTensor> m = new LinkedHashMap<>();
        m.put("head.weight", new WeightTensor(new long[] {5, 6}, weight.getArray().toFloatArray()));
        m.put("head.bias", new WeightTensor(new long[] {5}, bias.getArray().toFloatArray()));
        m.put("frozen.proj", new WeightTensor(new long[] {3, 6}, frozen.toFloatArray()));
        return m;
    }

    @Override
    public void loadStateDict(Map<String, WeightTensor> weights) {
        weight.getArray().set(weights.get("head.weight").values());
        bias.getArray().set(weights.get("head.bias").values());
        frozen.set(weights.get("frozen.proj").values());
    }

    @Override
    public void close() {
        manager.close();
    }

    @SuppressWarnings("unused")
    private static NDList list(NDArray... a) {
        return new NDList(a);
    }
}
