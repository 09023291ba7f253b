package org.peopleseg.core.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.peopleseg.core.geometry.Box;

class MaskPasterTest {

    /** torchvision's output for seeded inputs (make_paste_reference.py next to the JSON), bit for bit. */
    @TestFactory
    List<DynamicTest> matchesTorchvisionBitForBit() throws IOException {
        JsonNode root;
        try (InputStream in = MaskPasterTest.class.getResourceAsStream("paste_reference.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : root.get("cases")) {
            tests.add(dynamicTest("case " + i++ + " box " + c.get("box") + " M=" + c.get("mask_size"), () -> {
                int w = c.get("width").asInt(), h = c.get("height").asInt(), m = c.get("mask_size").asInt();
                JsonNode b = c.get("box");
                Box box = new Box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble());
                float[] mask = floats(c.get("mask_f32_zlib_b64").asText());
                float[] expected = floats(c.get("pasted_f32_zlib_b64").asText());
                float[] actual = MaskPaster.pasteProbabilities(mask, m, box, w, h);
                assertEquals(expected.length, actual.length);
                for (int p = 0; p < expected.length; p++) {
                    if (Float.floatToIntBits(expected[p]) != Float.floatToIntBits(actual[p])) {
                        throw new AssertionError("pixel (" + (p % w) + "," + (p / w) + "): torchvision " + expected[p]
                                + ", got " + actual[p]);
                    }
                }
                BitMask bits = MaskPaster.paste(mask, m, box, w, h, 0.5f);
                assertEquals(c.get("pasted_gt_half").asLong(), bits.area());
            }));
        }
        return tests;
    }

    @Test
    void sameSizeResizeCopiesThePaddedMask() {
        // M=2 -> padded 4x4; box half-size 0.75 * (4/2) = 1.5 around 11.5 -> integer box 10..13, 4 px: no resampling
        float[] mask = {0.2f, 0.9f, 0.6f, 0.4f};
        float[] p = MaskPaster.pasteProbabilities(mask, 2, new Box(10.75, 10.75, 12.25, 12.25), 20, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 20; x++) {
                float expected = 0;
                if (x >= 11 && x <= 12 && y >= 11 && y <= 12) {
                    expected = mask[(y - 11) * 2 + (x - 11)];
                }
                assertEquals(expected, p[y * 20 + x], x + "," + y);
            }
        }
        BitMask bits = MaskPaster.paste(mask, 2, new Box(10.75, 10.75, 12.25, 12.25), 20, 16, 0.5f);
        assertEquals(2, bits.area());
        assertTrue(bits.get(12, 11) && bits.get(11, 12));
    }

    @Test
    void twofoldUpsamplingAlongX() {
        // x: integer box 10..17 (8 px from 4: src = d/2 - 1/4, clamped at 0, last index repeated); y: copy as above
        float[] mask = {0.2f, 0.9f, 0.6f, 0.4f};
        float[] p = MaskPaster.pasteProbabilities(mask, 2, new Box(11.75, 10.75, 15.25, 12.25), 20, 16);
        double[] row = {0, 0.05, 0.15, 0.375, 0.725, 0.675, 0.225, 0}; // from padded row [0, .2, .9, 0]
        for (int d = 0; d < 8; d++) {
            assertEquals(row[d], p[11 * 20 + 10 + d], 1e-6, "d=" + d);
        }
        assertEquals(0, p[11 * 20 + 9]);
        assertEquals(0, p[11 * 20 + 18]);
    }

    @Test
    void allOnesFillTheBoxAndNothingOutsideTheExpandedBox() {
        float[] ones = new float[28 * 28];
        java.util.Arrays.fill(ones, 1f);
        Box box = new Box(40.0, 30.0, 140.0, 230.0);
        int w = 200, h = 260;
        float[] p = MaskPaster.pasteProbabilities(ones, 28, box, w, h);
        BitMask bits = MaskPaster.paste(ones, 28, box, w, h, 0.5f);
        // the expanded integer box: half sizes 50 * 30/28 and 100 * 30/28 around (90, 130)
        int ex1 = 36, ex2 = 143, ey1 = 22, ey2 = 237;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = p[y * w + x];
                boolean inExpanded = x >= ex1 && x <= ex2 && y >= ey1 && y <= ey2;
                if (!inExpanded) {
                    assertEquals(0f, v, x + "," + y);
                }
                boolean inBoxInterior = x >= 44 && x < 136 && y >= 38 && y < 222; // half a mask cell in
                if (inBoxInterior) {
                    assertTrue(v > 0.99f, "inside the box at " + x + "," + y + ": " + v);
                }
                // the mask fades out over the padding: at most a pixel of the >0.5 region lies outside the box
                if (bits.get(x, y)) {
                    assertTrue(x >= 39 && x <= 140 && y >= 29 && y <= 230, "outside at " + x + "," + y);
                }
            }
        }
        // x: exactly the box; y: one row more on each side, because truncating the expanded box (22.86 -> 22,
        // 237.14 -> 237) stretches the 30 padded rows over 216 pixels instead of 214.3
        assertEquals(new Box(40, 29, 140, 231), bits.bounds());
    }

    @Test
    void mirroredInputGivesMirroredOutput() {
        Random rnd = new Random(3);
        int m = 28;
        float[] mask = new float[m * m];
        for (int y = 0; y < m; y++) {
            for (int x = 0; x < m / 2; x++) {
                float v = rnd.nextFloat();
                mask[y * m + x] = v;
                mask[y * m + (m - 1 - x)] = v;
            }
        }
        int w = 120, h = 90;
        Box box = new Box(23.3, 11.0, w - 23.3, 80.0); // symmetric about x = w/2
        float[] p = MaskPaster.pasteProbabilities(mask, m, box, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(p[y * w + x], p[y * w + (w - 1 - x)], 1e-6, x + "," + y);
            }
        }
    }

    @Test
    void thresholdedEqualsProbabilitiesAboveThreshold() {
        Random rnd = new Random(9);
        float[] mask = new float[28 * 28];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rnd.nextFloat();
        }
        Box box = new Box(-7.5, 3.25, 55.0, 47.9); // partly outside the image
        float[] p = MaskPaster.pasteProbabilities(mask, 28, box, 50, 40);
        for (float t : new float[] {0.3f, 0.5f, 0.8f}) {
            BitMask bits = MaskPaster.paste(mask, 28, box, 50, 40, t);
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i] > t, bits.get(i % 50, i / 50));
            }
        }
    }

    @Test
    void boxOutsideTheImagePastesNothing() {
        float[] ones = new float[4];
        java.util.Arrays.fill(ones, 1f);
        assertEquals(0, MaskPaster.paste(ones, 2, new Box(100, 100, 120, 130), 50, 40, 0.5f).area());
    }

    private static float[] floats(String zlibBase64) throws DataFormatException {
        Inflater inflater = new Inflater();
        inflater.setInput(Base64.getDecoder().decode(zlibBase64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!inflater.finished()) {
            int n = inflater.inflate(buf);
            if (n == 0 && inflater.needsInput()) {
                throw new DataFormatException("truncated");
            }
            out.write(buf, 0, n);
        }
        inflater.end();
        ByteBuffer bb = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[bb.remaining() / 4];
        bb.asFloatBuffer().get(f);
        return f;
    }
}
