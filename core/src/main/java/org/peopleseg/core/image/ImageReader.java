package org.peopleseg.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files into 8-bit RGB. JPEG goes through TwelveMonkeys' ImageIO plugin (registered by being on the
 * class path), which reads the CMYK and ICC-profiled JPEGs that the JDK's reader rejects.
 */
public final class ImageReader {
    /**
     * Largest image accepted, checked from the header before decoding: preprocessing holds the image as float RGB
     * (12 bytes a pixel), so this bounds memory at about 1 GB and stops decompression bombs.
     */
    public static final long MAX_PIXELS = 80_000_000L;

    private static final Pattern TRUNCATION = Pattern.compile("(?i)truncat|premature end|missing eoi");

    private ImageReader() {}

    /** @throws IOException naming the file and the problem when it is missing, not an image, or corrupt */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * An image held in memory (e.g. a file read by Spark's {@code binaryFile} source), checked as {@link #read(Path)}
     * checks a file.
     *
     * @param name the file it came from, for messages
     */
    public static BufferedImage read(byte[] data, String name) throws IOException {
        return read(new java.io.ByteArrayInputStream(data), name);
    }

    private static BufferedImage read(InputStream in, String file) throws IOException {
        BufferedImage img;
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) {
                throw new IOException(file + ": not a readable image format");
            }
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not a readable image format");
            }
            javax.imageio.ImageReader reader = readers.next();
            // Decoders fill a truncated image with grey and only warn; a segmenter would then silently analyse half
            // a picture, so a truncation warning is treated as the error it is. Colour-profile warnings (common in
            // COCO photos: "ICC profile is Perceptual, ignoring") are harmless and pass.
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (TRUNCATION.matcher(warning).find()) {
                    warnings.add(warning);
                }
            });
            try {
                reader.setInput(iis, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IOException(file + ": image too large (" + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels; the limit is " + MAX_PIXELS / 1_000_000 + " megapixels): resize it first");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                throw new IOException(file + ": truncated or corrupt image (" + String.join("; ", warnings) + ")");
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file)) {
                throw e;
            }
            throw new IOException(file + ": corrupt or unreadable image (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": corrupt or unreadable image (" + e + ")", e);
        }
        return toRgb(img);
    }

    /** The image as TYPE_INT_RGB (a copy only when it is another type). */
    public static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
