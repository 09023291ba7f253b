package org.peopleseg.train.net.maskrcnn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.peopleseg.models.maskrcnn.DeterministicWeights;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.TorchvisionPreset;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.net.TrainingRules;

/**
 * The Java half of tools/bench/train_step_compare.sh: peopleseg's Mask R-CNN training step (forward, backward, SGD
 * with momentum and weight decay) on the same configuration, weights and synthetic scene as
 * tools/bench/train_step_torchvision.py. Prints one JSON line with per-step seconds and RSS.
 *
 * <p>{@code java -cp ... org.peopleseg.train.net.maskrcnn.TrainStepBench WIDTH HEIGHT STEPS WARMUP}
 */
final class TrainStepBench {
    private TrainStepBench() {}

    public static void main(String[] args) throws IOException {
        int width = Integer.parseInt(args[0]);
        int height = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        Engine engine = TrainingEngine.get();
        MaskRcnnConfig config = TorchvisionPreset.maskrcnnResnet50Fpn(height, width, 2);
        TrainingRules rules = new TrainingRules(0.7, 0.3, 256, 0.5, 1e-3, 2000, 2000, 0.7, 512, 0.25, 0.5, 0.5, 0.0,
                112, 1, 1, 1, TrainingRules.Sampling.RANDOM, 0);
        TrainingBatch batch = scene(width, height);
        List<Double> times = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config, rules, Freezing.of(List.of(0, 1), true),
                MaskTargetRule.TORCHVISION, DeterministicWeights.forConfig(config));
             NDManager state = engine.newBaseManager()) {
            List<Parameter> params = net.trainableParameters();
            List<NDArray> momentum = new ArrayList<>();
            for (Parameter p : params) {
                momentum.add(state.zeros(p.getArray().getShape()));
            }
            NDArray lr = state.create(1e-4f), mu = state.create(0.9f), wd = state.create(4e-5f);
            for (int s = 0; s < warmup + steps; s++) {
                long t0 = System.nanoTime();
                float total;
                try (NDManager step = engine.newBaseManager()) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        LossTerms loss = net.losses(step, batch);
                        gc.backward(loss.total());
                        total = loss.total().getFloat();
                    }
                }
                for (int i = 0; i < params.size(); i++) {
                    // torch.optim.SGD: d = g + wd * w; buf = mu * buf + d; w -= lr * buf; then zero the gradient
                    NDArray w = params.get(i).getArray();
                    NDArray buf = momentum.get(i);
                    try (NDArray g = w.getGradient(); NDArray decay = w.mul(wd)) {
                        g.addi(decay);
                        buf.muli(mu).addi(g);
                        try (NDArray d = buf.mul(lr)) {
                            w.subi(d);
                        }
                        g.subi(g);
                    }
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                double mb = rssMb();
                if (s >= warmup) {
                    times.add(dt);
                    rss.add(mb);
                }
                System.err.printf(Locale.ROOT, "peopleseg step %d: %.3f s, loss %.4f, RSS %.0f MB%n", s, dt, total, mb);
            }
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "{\"impl\": \"peopleseg DJL 0.36 / libtorch 2.7.1\", \"tcmalloc\": %b, "
                        + "\"threads\": \"%s\", \"width\": %d, \"height\": %d, \"median_s\": %.4f, \"steps_s\": %s, "
                        + "\"rss_mb\": %s}%n", TrainingEngine.tcmallocPreloaded(),
                System.getProperty("ai.djl.pytorch.num_threads"), width, height, median, times, rss);
    }

    /** Three ellipse "people" on a gradient: the scene of train_step_torchvision.py, already normalised. */
    static TrainingBatch scene(int width, int height) {
        float[][] boxes = {{0.10f * width, 0.15f * height, 0.30f * width, 0.95f * height},
                {0.40f * width, 0.25f * height, 0.55f * width, 0.90f * height},
                {0.65f * width, 0.05f * height, 0.90f * width, 0.70f * height}};
        int hw = width * height;
        float[] px = new float[3 * hw];
        List<byte[]> masks = new ArrayList<>();
        for (float[] b : boxes) {
            masks.add(new byte[hw]);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                px[i] = -1 + 0.5f * x / width;
                px[hw + i] = -0.8f + 0.4f * y / height;
                px[2 * hw + i] = (float) (0.2 * Math.sin(x / 30.0));
                for (int k = 0; k < boxes.length; k++) {
                    float[] b = boxes[k];
                    float cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2, rx = (b[2] - b[0]) / 2, ry = (b[3] - b[1]) / 2;
                    float dx = (x + 0.5f - cx) / rx, dy = (y + 0.5f - cy) / ry;
                    if (dx * dx + dy * dy <= 1) {
                        masks.get(k)[i] = 1;
                        px[i] = px[hw + i] = px[2 * hw + i] = 1.2f;
                    }
                }
            }
        }
        int[] labels = new int[boxes.length];
        Arrays.fill(labels, 1);
        ImageTargets t = new ImageTargets(List.of(boxes), labels, masks, height, width);
        return new TrainingBatch(px, 1, height, width, List.of(new int[] {height, width}), List.of(t));
    }

    static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
