package org.peopleseg.serve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.peopleseg.core.image.ImageReader;

/** The picture a request carries: an encoded file (JPEG, PNG, ...) or raw RGB pixels (v2 UINT8 [H, W, 3]). */
sealed interface ImageInput {

    /** Decodes the picture; a bad one is a 400 (413 over the pixel limit) naming the request. */
    BufferedImage decode(String source) throws ServeException;

    /** An encoded image file. */
    record Encoded(byte[] bytes) implements ImageInput {
        @Override
        public BufferedImage decode(String source) throws ServeException {
            if (bytes.length == 0) {
                throw ServeException.badRequest(source + ": empty image");
            }
            try {
                return ImageReader.read(bytes, source);
            } catch (IOException e) {
                String m = e.getMessage();
                throw new ServeException(m != null && m.contains("image too large") ? 413 : 400, m, e);
            }
        }
    }

    /** Row-major RGB bytes, 3 per pixel. */
    record Pixels(int height, int width, byte[] rgb) implements ImageInput {
        /** Checks the shape against the pixel limit and the data length. */
        static Pixels of(long[] shape, byte[] rgb, String input) throws ServeException {
            long expected = checkShape(shape, input);
            if (rgb.length != expected) {
                throw ServeException.badRequest("input '" + input + "': shape " + java.util.Arrays.toString(shape)
                        + " needs " + expected + " bytes of data, got " + rgb.length);
            }
            return new Pixels((int) shape[0], (int) shape[1], rgb);
        }

        /** The number of bytes a valid [H, W, 3] shape holds; a 400 / 413 for any other. */
        static long checkShape(long[] shape, String input) throws ServeException {
            if (shape.length != 3 || shape[2] != 3) {
                throw ServeException.badRequest("input '" + input + "': UINT8 shape must be [H, W, 3], got "
                        + java.util.Arrays.toString(shape));
            }
            if (shape[0] <= 0 || shape[1] <= 0) {
                throw ServeException.badRequest("input '" + input + "': image dimensions must be positive, got "
                        + java.util.Arrays.toString(shape));
            }
            if (shape[0] > ImageReader.MAX_PIXELS || shape[1] > ImageReader.MAX_PIXELS
                    || shape[0] * shape[1] > ImageReader.MAX_PIXELS) {
                throw ServeException.tooLarge("input '" + input + "': " + shape[1] + "x" + shape[0]
                        + " pixels is over the limit of " + ImageReader.MAX_PIXELS / 1_000_000 + " megapixels");
            }
            return shape[0] * shape[1] * 3;
        }

        @Override
        public BufferedImage decode(String source) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] row = new int[width];
            for (int y = 0, i = 0; y < height; y++) {
                for (int x = 0; x < width; x++, i += 3) {
                    row[x] = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
                }
                img.setRGB(0, y, width, 1, row, 0, width);
            }
            return img;
        }
    }
}
