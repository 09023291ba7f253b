package org.peopleseg.train.data;

import java.util.SplittableRandom;

/**
 * Which image and which flip each training position gets, as a pure function of the seed and the position:
 * position p (counting images over the whole run, step * batch + i) is image {@code perm(epoch)[p % n]} of a
 * Fisher-Yates permutation seeded by (seed, epoch = p / n), flipped when a coin seeded by (seed, p) says so. A
 * resumed run therefore continues the same order from the step alone, with no iterator state to save.
 */
public final class DataOrder {
    private final long seed;
    private final int size;
    private final boolean flip;
    private long cachedEpoch = -1;
    private int[] cached;

    public DataOrder(long seed, int size, boolean flip) {
        if (size <= 0) {
            throw new IllegalArgumentException("no training images");
        }
        this.seed = seed;
        this.size = size;
        this.flip = flip;
    }

    public int imageAt(long position) {
        long epoch = position / size;
        if (epoch != cachedEpoch) {
            cached = permutation(epoch);
            cachedEpoch = epoch;
        }
        return cached[(int) (position % size)];
    }

    public boolean flipAt(long position) {
        return flip && new SplittableRandom(mix(seed, 0x5EEDF11BL ^ position)).nextBoolean();
    }

    int[] permutation(long epoch) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(mix(seed, epoch));
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
