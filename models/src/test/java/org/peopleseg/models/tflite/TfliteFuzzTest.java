package org.peopleseg.models.tflite;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the TFLite flatbuffer reader, its metadata reader and the converter (README
 * "Fuzzing"), each on raw file bytes.
 *
 * <p>Documented outcomes: {@link TfliteModel#read(ByteBuffer)} returns a model or throws
 * {@link TfliteFormatException}; {@link TfliteMetadata#read(ByteBuffer)} never throws (metadata is optional: empty
 * when unreadable); {@link TfliteConverter#convert} converts or throws {@link UnsupportedModelException} (or
 * {@link TfliteFormatException} for constant data it cannot read), always with a message. Anything else, an
 * {@link OutOfMemoryError} or a {@link StackOverflowError} included, or an input taking over a second, is a finding.
 * Seeds (a three-operator model, float and int8, one with metadata): tools/fixtures/fuzz/make_seeds.py.
 */
class TfliteFuzzTest {

    @FuzzTest
    void model(byte[] input) {
        try {
            TfliteModel model = TfliteModel.read(ByteBuffer.wrap(input));
            for (TfliteTensor t : model.tensors()) {
                if (t.isConstant()) {
                    t.dequantized();
                }
            }
        } catch (TfliteFormatException e) {
            explained(e);
        }
    }

    @FuzzTest
    void metadata(byte[] input) {
        TfliteMetadata.read(ByteBuffer.wrap(input));
    }

    @FuzzTest
    void converter(byte[] input) {
        TfliteModel model;
        try {
            model = TfliteModel.read(ByteBuffer.wrap(input));
        } catch (TfliteFormatException e) {
            explained(e);
            return;
        }
        for (TfliteConverter.Precision precision : TfliteConverter.Precision.values()) {
            try {
                TfliteConverter.convert(model, new TfliteConverter.Options(0, 0, precision));
            } catch (UnsupportedModelException | TfliteFormatException e) {
                explained(e);
            }
        }
    }

    private static void explained(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a message", e);
        }
    }
}
