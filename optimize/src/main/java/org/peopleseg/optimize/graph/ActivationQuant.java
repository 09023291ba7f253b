package org.peopleseg.optimize.graph;

/**
 * Asymmetric uint8 quantisation of an activation: {@code q = clamp(round(x / scale) + zeroPoint, 0, 255)}. uint8,
 * not int8, because ONNX Runtime's x86 integer kernels are u8s8 (uint8 activations x int8 weights): with int8
 * activations its QDQ convolutions stay in float.
 */
public record ActivationQuant(float scale, int zeroPoint) {
    /** A range narrower than this is widened: a scale of 0 is invalid, and such a tensor is effectively constant. */
    static final double MIN_RANGE = 1e-6;

    public ActivationQuant {
        if (!(scale > 0) || zeroPoint < 0 || zeroPoint > 255) {
            throw new IllegalArgumentException("bad uint8 quantisation: scale " + scale + ", zero point " + zeroPoint);
        }
    }

    /** The range is first widened to include 0 (zero padding and ReLU outputs must be exact). */
    public static ActivationQuant ofRange(double min, double max) {
        double lo = Math.min(0, min);
        double hi = Math.max(0, max);
        if (hi - lo < MIN_RANGE) {
            hi = lo + MIN_RANGE;
        }
        double scale = (hi - lo) / 255.0;
        int zp = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
        return new ActivationQuant((float) scale, zp);
    }

    /** x quantised and dequantised, as QuantizeLinear then DequantizeLinear compute it (round half to even). */
    public float fakeQuant(float x) {
        double q = Math.rint(x / scale) + zeroPoint;
        q = Math.max(0, Math.min(255, q));
        return (float) ((q - zeroPoint) * scale);
    }
}
