package org.peopleseg.models.tflite;

/**
 * Affine quantisation of a tensor: {@code real = scale * (q - zeroPoint)}, per tensor (one scale) or per channel
 * along {@code axis} (one scale and zero point per index of that dimension; TFLite uses it for weights).
 */
public record Quantization(float[] scales, long[] zeroPoints, int axis) {
    public Quantization {
        if (scales.length == 0) {
            throw new IllegalArgumentException("quantisation without scales");
        }
        if (zeroPoints.length == 0) {
            zeroPoints = new long[scales.length];
        }
        if (zeroPoints.length != scales.length) {
            throw new TfliteFormatException(scales.length + " scales but " + zeroPoints.length + " zero points");
        }
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    public boolean perChannel() {
        return scales.length > 1;
    }

    public float scale() {
        return scales[0];
    }

    public long zeroPoint() {
        return zeroPoints[0];
    }

    @Override
    public String toString() {
        return perChannel() ? "per-channel(axis " + axis + ", " + scales.length + " scales)"
                : "scale " + scales[0] + " zp " + zeroPoints[0];
    }
}
