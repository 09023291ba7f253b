package org.peopleseg.core.render;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.peopleseg.core.io.AtomicFiles;

/**
 * Saves rendered images as PNG or JPEG, chosen by the file extension, atomically (a viewer or web page polling the
 * file never sees half an image). JPEG is written at quality 0.92 instead of ImageIO's default 0.75, whose blocking
 * is visible on the thin box lines and text of overlays.
 */
public final class ImageWriter {
    /** JPEG quality when none is given. */
    public static final float DEFAULT_JPEG_QUALITY = 0.92f;

    private ImageWriter() {}

    /** Writes {@code .png}, {@code .jpg} or {@code .jpeg} (case-insensitive). */
    public static void write(BufferedImage image, Path file) throws IOException {
        write(image, file, DEFAULT_JPEG_QUALITY);
    }

    /** @param jpegQuality 0..1, used for JPEG only */
    public static void write(BufferedImage image, Path file, float jpegQuality) throws IOException {
        String format = formatOf(file);
        AtomicFiles.write(file, out -> write(image, format, out, jpegQuality));
    }

    /**
     * Encodes to a stream (an HTTP response, a zip entry); the stream is left open.
     *
     * @param format "png" or "jpeg"
     */
    public static void write(BufferedImage image, String format, OutputStream out, float jpegQuality)
            throws IOException {
        boolean jpeg = switch (format.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> true;
            case "png" -> false;
            default -> throw new IllegalArgumentException("unsupported image format '" + format + "' (png, jpeg)");
        };
        if (!(jpegQuality >= 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in [0, 1], got " + jpegQuality);
        }
        BufferedImage img = jpeg ? withoutAlpha(image) : image;
        Iterator<javax.imageio.ImageWriter> writers = ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png");
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for " + format);
        }
        javax.imageio.ImageWriter writer = writers.next();
        // in memory rather than ImageIO's default temp-file cache; closing it does not close 'out'
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (jpeg) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
            ios.flush();
        } finally {
            writer.dispose();
        }
    }

    /** "png" or "jpeg" from the file name. */
    static String formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "jpeg";
        }
        throw new IllegalArgumentException(file + ": unknown image type, use .png, .jpg or .jpeg");
    }

    /** JPEG has no alpha channel; ImageIO would otherwise write a CMYK-looking file or fail. */
    private static BufferedImage withoutAlpha(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
