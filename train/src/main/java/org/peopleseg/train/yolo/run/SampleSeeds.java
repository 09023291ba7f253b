package org.peopleseg.train.yolo.run;

/**
 * The seed of one image's augmentation draws in one epoch. java.util.Random's first output is nearly linear in
 * its seed (new Random(k).nextDouble() moves by ~1e-4 per unit of k), so seeding with seed + epoch + image id
 * — as this trainer did before — gave every image of an epoch almost the same first draw: the same random
 * scale for the whole epoch (measured: 0.722..0.750 over ids 0..350). The parts are therefore mixed through
 * SplitMix64's finaliser (Steele, Lea, Flood 2014, the mix java.util.SplittableRandom uses), which spreads a
 * one-bit change of its input over all 64 bits.
 */
final class SampleSeeds {
    private SampleSeeds() {}

    static long of(long seed, int epoch, long imageId) {
        return mix(mix(mix(seed) + epoch) + imageId);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
