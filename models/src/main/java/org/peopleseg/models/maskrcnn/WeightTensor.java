package org.peopleseg.models.maskrcnn;

import java.util.Arrays;

/** A named float tensor as a model importer hands it over: shape (PyTorch order) and row-major values. */
public record WeightTensor(long[] shape, float[] values) {
    public WeightTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
