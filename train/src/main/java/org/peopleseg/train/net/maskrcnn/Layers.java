package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The few layer functions the network needs, over DJL arrays. Each takes the activation first, so results belong
 * to the step's manager (see {@link NetParameters}). Shapes are NCHW.
 */
final class Layers {
    private Layers() {}

    static NDArray conv(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    static NDArray maxPool(NDArray x, int kernel, int stride, int pad) {
        return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(pad, pad), false);
    }

    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    /** Nearest-neighbour 2x upsampling ({@code F.interpolate(mode="nearest")} to exactly twice the size). */
    static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, 2, w, 2).reshape(n, c, 2 * h, 2 * w);
    }

    /**
     * ConvTranspose2d with kernel 2, stride 2, no padding: each input pixel becomes a 2x2 block, so it is one matmul
     * of the channels by the weight [Cin, Cout*2*2] and a reshuffle (DJL's PyTorch engine has no transposed conv).
     *
     * @param w [Cin, Cout, 2, 2] (PyTorch's layout)
     */
    static NDArray convTranspose2x2(NDArray x, NDArray w, NDArray b) {
        Shape s = x.getShape();
        long n = s.get(0), cin = s.get(1), h = s.get(2), wd = s.get(3);
        long cout = w.getShape().get(1);
        NDArray rows = x.transpose(0, 2, 3, 1).reshape(n * h * wd, cin);
        NDArray y = rows.matMul(inStep(x, w.reshape(cin, cout * 4))); // [n*h*w, cout*2*2]
        y = y.reshape(n, h, wd, cout, 2, 2).transpose(0, 3, 1, 4, 2, 5).reshape(n, cout, 2 * h, 2 * wd);
        return y.add(inStep(x, b.reshape(1, cout, 1, 1)));
    }

    /** Moves a view of a parameter into the step's manager (the view would otherwise pile up in the model's). */
    static NDArray inStep(NDArray stepArray, NDArray view) {
        view.attach(stepArray.getManager());
        return view;
    }
}
