package org.peopleseg.core.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.peopleseg.core.render.ImageWriter;

/**
 * The evaluation report's chart style for other reports (the training report: loss, learning rate and AP curves),
 * as PNG data URIs to embed in a self-contained HTML file.
 */
public final class TrainingCharts {
    private TrainingCharts() {}

    /** See {@link ReportCharts#lines}; returns a {@code data:image/png;base64,...} URI. */
    public static String lines(String title, String xLabel, String yLabel, List<String> names, List<double[]> xs,
            List<double[]> ys, boolean unitRange) {
        BufferedImage img = ReportCharts.lines(title, xLabel, yLabel, names, xs, ys, unitRange);
        ByteArrayOutputStream png = new ByteArrayOutputStream(128 * 1024);
        try {
            ImageWriter.write(img, "png", png, ImageWriter.DEFAULT_JPEG_QUALITY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Html.dataUri("image/png", png.toByteArray());
    }

    /** HTML-escapes text. */
    public static String escape(String s) {
        return Html.esc(s);
    }

    /** Logical chart width in CSS pixels. */
    public static int width() {
        return ReportCharts.WIDTH;
    }
}
