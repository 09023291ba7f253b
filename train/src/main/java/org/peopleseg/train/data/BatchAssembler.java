package org.peopleseg.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.TrainingBatch;

/**
 * The batch of a step: images {@code step * batch .. step * batch + batch - 1} of the {@link DataOrder}, stacked on
 * one canvas. With TAO's fixed canvas every sample has the same size; with torchvision's min/max resize the canvas
 * is the batch's largest (each already a multiple of 32), as torchvision's {@code batch_images} pads.
 */
public final class BatchAssembler {
    private final TrainingSet set;
    private final SampleLoader loader;
    private final DataOrder order;
    private final int batchSize;

    public BatchAssembler(TrainingSet set, SampleLoader loader, DataOrder order, int batchSize) {
        this.set = set;
        this.loader = loader;
        this.order = order;
        this.batchSize = batchSize;
    }

    /** The image ids of a step's batch, in order (for the log). */
    public long[] imageIds(long step) {
        long[] ids = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            ids[i] = set.images().get(order.imageAt(step * batchSize + i)).image().id();
        }
        return ids;
    }

    /** Whether each image of a step's batch is flipped. */
    public boolean[] flips(long step) {
        boolean[] f = new boolean[batchSize];
        for (int i = 0; i < batchSize; i++) {
            f[i] = order.flipAt(step * batchSize + i);
        }
        return f;
    }

    public TrainingBatch batch(long step) throws IOException {
        List<Sample> samples = new ArrayList<>();
        int w = 0;
        int h = 0;
        for (int i = 0; i < batchSize; i++) {
            long position = step * batchSize + i;
            Sample s = loader.load(set.images().get(order.imageAt(position)), order.flipAt(position));
            samples.add(s);
            w = Math.max(w, s.width());
            h = Math.max(h, s.height());
        }
        float[] pixels = new float[batchSize * 3 * h * w];
        List<int[]> sizes = new ArrayList<>();
        List<ImageTargets> targets = new ArrayList<>();
        for (int b = 0; b < batchSize; b++) {
            Sample s = samples.get(b);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < s.height(); y++) {
                    System.arraycopy(s.chw(), (c * s.height() + y) * s.width(), pixels,
                            ((b * 3 + c) * h + y) * w, s.width());
                }
            }
            sizes.add(new int[] {s.resizedHeight(), s.resizedWidth()});
            targets.add(s.width() == w && s.height() == h ? s.targets() : pad(s.targets(), w, h));
        }
        return new TrainingBatch(pixels, batchSize, h, w, sizes, targets);
    }

    private static ImageTargets pad(ImageTargets t, int w, int h) {
        if (!t.hasMasks()) {
            return new ImageTargets(t.boxesXyxy(), t.labels(), null, h, w);
        }
        List<byte[]> masks = new ArrayList<>();
        for (byte[] m : t.masks()) {
            byte[] p = new byte[w * h];
            for (int y = 0; y < t.height(); y++) {
                System.arraycopy(m, y * t.width(), p, y * w, t.width());
            }
            masks.add(p);
        }
        return new ImageTargets(t.boxesXyxy(), t.labels(), masks, h, w);
    }
}
