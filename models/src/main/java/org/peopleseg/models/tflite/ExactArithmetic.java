package org.peopleseg.models.tflite;

import java.util.List;
import org.peopleseg.models.tflite.ConversionContext.Value;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * TFLite's own integer arithmetic where ONNX Runtime's QDQ kernels round differently (int8 only).
 *
 * <p>The reference runtime (TFLite with its XNNPACK delegate, as tfjs-tflite runs it) computes convolutions,
 * elementwise operators, LOGISTIC, CONCATENATION, ... exactly as ONNX Runtime's QLinear kernels do (int32
 * accumulation, one fp32 requantisation rounded to nearest even); checked operator by operator on the reference's
 * own intermediate tensors, they agree bit for bit. Three operators do not:
 * <ul>
 *   <li>QUANTIZE int8 -> int8 runs as XNNPACK's "convert", whose multiplier has only 8 fractional bits (one step
 *   off on up to 2% of the values; it alone made the raw outputs drift apart by several steps downstream);</li>
 *   <li>TRANSPOSE_CONV with per-channel weights is not taken by this XNNPACK and runs TFLite's builtin kernel,
 *   which requantises with a 31-bit fixed-point multiplier and rounds twice (MultiplyByQuantizedMultiplier);</li>
 *   <li>ADD / SUB run as XNNPACK's qs8 vadd, with 20-bit fixed-point multipliers (a few values in 10^4).</li>
 * </ul>
 * They are emulated exactly here, with integer-valued float and double arithmetic. Each method returns false, and
 * adds nothing to the graph, when its operator falls outside what it reproduces; the caller then translates it
 * plainly.
 */
final class ExactArithmetic {
    private ExactArithmetic() {}

    /**
     * QUANTIZE int8 -> int8 as XNNPACK's qs8 convert: {@code m = lrintf(256 * s_in / s_out)},
     * {@code y = clamp((zp_out * 256 - m * zp_in + 128 + x * m) >> 8)} (XNNPACK takes ratios in [1/256, 128]; TFLite's
     * own kernel, for the others, is left to the QDQ pair). On the uint8 values {@code u = x + 128} all terms stay
     * integers below 2^24, exact in float.
     */
    static boolean requantize(TfliteOperator op, ConversionContext cx) {
        int in = op.inputs()[0], out = op.outputs()[0];
        String u = cx.rawInt8(in);
        if (u == null || !cx.int8PerTensorOutput(out)) {
            return false;
        }
        Quantization qi = cx.model.tensor(in).quantization(), qo = cx.model.tensor(out).quantization();
        float ratio = qi.scale() / qo.scale();
        if (!(ratio >= 1f / 256f && ratio <= 128f)) {
            return false;
        }
        long m = (long) Math.rint(256f * ratio);
        long bias = (qo.zeroPoint() << 8) - m * qi.zeroPoint() + 0x80;
        // y + 128 = floor((bias - 128 m + 128 * 256 + u m) / 256)
        long c = bias - 128 * m + 128 * 256;
        Value x = cx.recorded(in);
        String t = cx.g.op("Cast", u, Attr.i("to", DataType.FLOAT.getNumber()));
        t = cx.g.op("Mul", List.of(t, cx.g.scalar(m)));
        t = cx.g.op("Add", List.of(t, cx.g.scalar(c)));
        t = cx.g.op("Floor", cx.g.op("Mul", List.of(t, cx.g.scalar(1f / 256f))));
        cx.emitRaw(out, saturateToUint8(cx, t), x.shape(), x.nchw());
        return true;
    }

    /** Integer-valued floats (exact below 2^24) -> uint8, saturating. */
    private static String saturateToUint8(ConversionContext cx, String integers) {
        return cx.g.op("QuantizeLinear", List.of(integers, cx.g.scalar(1f),
                cx.constant(DataType.UINT8, new byte[] {0})));
    }

    /**
     * TRANSPOSE_CONV with per-channel int8 weights as TFLite's builtin kernel computes it: the exact int32
     * accumulator (here a float ConvTranspose of integer values, exact while it stays below 2^24), plus the bias,
     * requantised per channel by {@code MultiplyByQuantizedMultiplier} (SaturatingRoundingDoublingHighMul, then
     * RoundingDivideByPOT), reproduced exactly in double.
     */
    static boolean transposeConv(TfliteOperator op, ConversionContext cx, AttributeProto[] attrs, long[] shape) {
        int in = op.inputs()[2], out = op.outputs()[0];
        TfliteTensor w = cx.model.tensor(op.inputs()[1]);
        TfliteTensor b = op.inputs().length > 3 && op.inputs()[3] >= 0 ? cx.model.tensor(op.inputs()[3]) : null;
        String u = cx.rawInt8(in);
        Quantization qw = w.quantization();
        if (u == null || !cx.int8PerTensorOutput(out) || w.type() != TensorType.INT8 || qw == null
                || !qw.perChannel() || qw.axis() != 0
                || (b != null && (b.type() != TensorType.INT32 || !b.isConstant()))) {
            return false;
        }
        int[] ws = w.shape();
        int cout = ws[0];
        long[] wRaw = w.rawInts();
        long[] bRaw = b == null ? new long[cout] : b.rawInts();
        for (long z : qw.zeroPoints()) {
            if (z != 0) {
                return false;
            }
        }
        int per = wRaw.length / cout;
        for (int o = 0; o < cout; o++) {
            long bound = Math.abs(bRaw[o]);
            for (int k = 0; k < per; k++) {
                bound += 255 * Math.abs(wRaw[o * per + k]);
            }
            if (bound >= 1 << 24) {
                return false; // the float accumulator might round
            }
        }
        Quantization qi = cx.model.tensor(in).quantization(), qo = cx.model.tensor(out).quantization();
        // MultiplyByQuantizedMultiplier(acc, q, shift), shift = -e <= 0: h = floor((acc q + 2^30) / 2^31)
        // (SaturatingRoundingDoublingHighMul: halves up), then halves away from zero: floor((h + 2^(e-1) - [h < 0])
        // / 2^e). Nested floors fold into one: floor(acc * q / 2^(31+e) + 1/2 + 2^-(e+1) - [h < 0] 2^-e), with
        // h < 0 iff acc q < -2^30. In double, plus half the 2^-(31+e) granularity so that an exact integer never
        // floors below itself: the error (under 2^-43 for |values| < 2^9; larger ones saturate) stays below that
        // margin while e <= 10.
        double[] cq = new double[cout], k = new double[cout], kNeg = new double[cout], thr = new double[cout];
        for (int o = 0; o < cout; o++) {
            double scale = (double) qi.scale() * (double) qw.scales()[o] / (double) qo.scale();
            long[] qm = quantizeMultiplier(scale);
            int shift = (int) qm[1];
            int e = Math.max(-shift, 0);
            if (qm[0] == 0 || e > 10) {
                return false;
            }
            cq[o] = Math.scalb((double) qm[0], Math.max(shift, 0) - 31 - e);
            double margin = Math.scalb(1.0, -32 - e) + qo.zeroPoint() + 128;
            k[o] = 0.5 + (e > 0 ? Math.scalb(1.0, -e - 1) : 0) + margin;
            kNeg[o] = k[o] - (e > 0 ? Math.scalb(1.0, -e) : 0);
            thr[o] = qm[0] == 1L << 30 && shift <= 0 ? -1.5 : -0.5;
        }
        String xf = cx.g.op("Cast", u, Attr.i("to", DataType.FLOAT.getNumber()));
        xf = cx.g.op("Sub", List.of(xf, cx.g.scalar(qi.zeroPoint() + 128)));
        float[] wf = new float[wRaw.length];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = wRaw[i];
        }
        int[] perm = {3, 0, 1, 2}; // [O,KH,KW,I] -> [I,O,KH,KW]
        wf = Tensors.permute(wf, ws, perm);
        String wn = cx.g.weight("w" + w.index() + "_int", wf, Tensors.toLongs(Tensors.permuteShape(ws, perm)));
        float[] bf = new float[cout];
        for (int o = 0; o < cout; o++) {
            bf[o] = bRaw[o];
        }
        String acc = cx.g.op("ConvTranspose", List.of(xf, wn, cx.g.weight("b" + op.index() + "_int", bf, cout)), attrs);
        long[] cdims = {1, cout, 1, 1};
        String a = cx.g.op("Cast", acc, Attr.i("to", DataType.DOUBLE.getNumber()));
        String corr = cx.g.op("Where", List.of(cx.g.op("Less", List.of(a, doubleConst(cx, cdims, thr))),
                doubleConst(cx, cdims, kNeg), doubleConst(cx, cdims, k)));
        String v = cx.g.op("Add", List.of(cx.g.op("Mul", List.of(a, doubleConst(cx, cdims, cq))), corr));
        // floor and saturate to uint8: clamp to [0, 255.5], then Cast truncates
        v = cx.g.op("Clip", List.of(v, doubleConst(cx, new long[0], new double[] {0}),
                doubleConst(cx, new long[0], new double[] {255.5})));
        cx.emitRaw(out, cx.g.op("Cast", v, Attr.i("to", DataType.UINT8.getNumber())), shape, true);
        return true;
    }

    /** TFLite's QuantizeMultiplier: {q31 significand, shift} with scale = q / 2^31 * 2^shift. */
    static long[] quantizeMultiplier(double scale) {
        if (scale == 0) {
            return new long[] {0, 0};
        }
        int shift = Math.getExponent(scale) + 1; // frexp: scale = f * 2^shift, f in [0.5, 1)
        double f = scale / Math.scalb(1.0, shift);
        long q = Math.round(f * (1L << 31));
        if (q == 1L << 31) {
            q /= 2;
            shift++;
        }
        if (shift < -31) {
            return new long[] {0, 0};
        }
        return new long[] {q, shift};
    }

    /**
     * ADD / SUB of int8 tensors as XNNPACK's qs8 vadd: with {@code r_a = s_a / s_out}, {@code r_b = s_b / s_out}
     * (float, r_b negated for SUB) and {@code shift = 20 - exponent(max |r|)}, 20-bit multipliers
     * {@code m = lrintf(r * 2^shift)}, then {@code y = zp_out + ((2^(shift-1) + (a - zp_a) m_a + (b - zp_b) m_b) >> shift)},
     * saturated. ONNX Runtime's QLinearAdd rounds the float sum instead and differs on a few values in 10^4.
     * {@code a}, {@code b}: the operands as dequantised floats, already laid out for broadcasting; their integers
     * are recovered exactly by rounding in double (all terms below 2^31, exact).
     */
    static boolean add(TfliteOperator op, ConversionContext cx, boolean subtract, Value a, Value b, long[] shape,
                       boolean nchw) {
        int ia = op.inputs()[0], ib = op.inputs()[1], out = op.outputs()[0];
        TfliteTensor ta = cx.model.tensor(ia), tb = cx.model.tensor(ib);
        if (!cx.int8PerTensorOutput(out) || !int8PerTensor(ta) || !int8PerTensor(tb)
                || (cx.recorded(ia) != null && cx.recorded(ia).dq() == null)
                || (cx.recorded(ib) != null && cx.recorded(ib).dq() == null)) {
            return false;
        }
        Quantization qa = ta.quantization(), qb = tb.quantization(), qo = cx.model.tensor(out).quantization();
        float ra = qa.scale() / qo.scale(), rb = qb.scale() / qo.scale();
        // the XNNPACK delegate takes ratios in [2^-10, 2^8); TFLite's own kernel, for the others, is left to ONNX
        if (!(ra >= 1f / 1024f && ra < 256f && rb >= 1f / 1024f && rb < 256f)) {
            return false;
        }
        int shift = 20 - Math.getExponent(Math.max(ra, rb));
        double ma = Math.rint(Math.scalb((double) ra, shift));
        double mb = Math.rint(Math.scalb((double) rb, shift)) * (subtract ? -1 : 1);
        double bias = Math.scalb(1.0, shift - 1) + Math.scalb((double) qo.zeroPoint() + 128, shift);
        String t = cx.g.op("Add", List.of(
                cx.g.op("Mul", List.of(centered(cx, a, qa), doubleConst(cx, new long[0], new double[] {ma}))),
                cx.g.op("Mul", List.of(centered(cx, b, qb), doubleConst(cx, new long[0], new double[] {mb})))));
        t = cx.g.op("Mul", List.of(cx.g.op("Add", List.of(t, doubleConst(cx, new long[0], new double[] {bias}))),
                doubleConst(cx, new long[0], new double[] {Math.scalb(1.0, -shift)})));
        // floor and saturate to uint8 (zero point + 128): clamp to [0, 255.5], then Cast truncates
        t = cx.g.op("Clip", List.of(t, doubleConst(cx, new long[0], new double[] {0}),
                doubleConst(cx, new long[0], new double[] {255.5})));
        cx.emitRaw(out, cx.g.op("Cast", t, Attr.i("to", DataType.UINT8.getNumber())), shape, nchw);
        return true;
    }

    private static boolean int8PerTensor(TfliteTensor t) {
        return t.type() == TensorType.INT8 && ConversionContext.isQuantized(t) && !t.quantization().perChannel();
    }

    /** {@code q - zero_point} of a dequantised int8 value, as double: round(x / scale), exact. */
    private static String centered(ConversionContext cx, Value v, Quantization q) {
        String d = cx.g.op("Cast", v.name(), Attr.i("to", DataType.DOUBLE.getNumber()));
        return cx.g.op("Round", cx.g.op("Mul", List.of(d, doubleConst(cx, new long[0], new double[] {1.0 / q.scale()}))));
    }

    private static String doubleConst(ConversionContext cx, long[] dims, double[] v) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(v);
        return cx.constant(DataType.DOUBLE, buf.array(), dims);
    }
}
