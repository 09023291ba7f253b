package org.peopleseg.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.peopleseg.core.eval.Kpi;

/**
 * The report's charts, drawn with JFreeChart into images: COCO precision/recall curves and the confidence sweep.
 * Charts are drawn at {@link #WIDTH}x{@link #HEIGHT} logical pixels and rendered at twice that resolution so they
 * stay sharp on high-density screens.
 */
final class ReportCharts {
    static final int WIDTH = 560;
    static final int HEIGHT = 380;
    private static final int SCALE = 2;

    static final Color BLUE = new Color(0x1f77b4);
    static final Color ORANGE = new Color(0xff7f0e);
    static final Color GREEN = new Color(0x2ca02c);
    static final Color RED = new Color(0xd62728);
    static final Color PURPLE = new Color(0x9467bd);
    static final Color GREY = new Color(0x555555);

    private ReportCharts() {
    }

    /**
     * COCO precision at the 101 recall points for IoU 0.50 and 0.75 (area all, 100 detections per image). Points
     * where precision is undefined (-1: no ground truth) are left out.
     */
    static BufferedImage precisionRecall(String title, double[] recall, double[] precision50, double[] precision75,
            double ap50, double ap75) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve(label("IoU 0.50", ap50), recall, precision50));
        data.addSeries(curve(label("IoU 0.75", ap75), recall, precision75));
        JFreeChart chart = ChartFactory.createXYLineChart(title, "recall", "precision", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = style(chart);
        XYLineAndShapeRenderer r = lines(plot, BLUE, ORANGE);
        r.setSeriesStroke(1, dashed(2.2f));
        unitAxes(plot);
        return render(chart);
    }

    /**
     * Curves of y over x (training curves: losses, learning rate, AP over steps), one series per name, in the
     * report's style. {@code unit}: the y axis spans [0, 1] (AP); otherwise it fits the data.
     */
    static BufferedImage lines(String title, String xLabel, String yLabel, List<String> names, List<double[]> xs,
            List<double[]> ys, boolean unit) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 0; i < names.size(); i++) {
            XYSeries s = new XYSeries(names.get(i), false, true);
            double[] x = xs.get(i);
            double[] y = ys.get(i);
            for (int k = 0; k < x.length && k < y.length; k++) {
                if (Double.isFinite(y[k])) {
                    s.add(x[k], y[k]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                names.size() > 1, false, false);
        XYPlot plot = style(chart);
        lines(plot, BLUE, ORANGE, GREEN, RED, PURPLE, GREY);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(true);
        if (unit) {
            range.setRange(0, 1.02);
        }
        return render(chart);
    }

    private static String label(String name, double ap) {
        return ap < 0 ? name : String.format(Locale.ROOT, "%s (AP %.3f)", name, ap);
    }

    private static XYSeries curve(String name, double[] x, double[] y) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < x.length && i < y.length; i++) {
            if (y[i] > -1) {
                s.add(x[i], y[i]);
            }
        }
        return s;
    }

    /**
     * Precision, recall, F1 and accuracy against the confidence threshold, with markers at the chosen threshold and
     * the best-F1 threshold (NaN: none). Undefined ratios (no detections left) are gaps.
     */
    static BufferedImage sweep(String title, List<Kpi> sweep, double threshold, double bestF1Threshold) {
        XYSeries p = new XYSeries("precision", false, true);
        XYSeries r = new XYSeries("recall", false, true);
        XYSeries f = new XYSeries("F1", false, true);
        XYSeries a = new XYSeries("accuracy", false, true);
        for (Kpi k : sweep) {
            p.add(k.threshold(), orNull(k.precision()));
            r.add(k.threshold(), orNull(k.recall()));
            f.add(k.threshold(), orNull(k.f1()));
            a.add(k.threshold(), orNull(k.accuracy()));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(p);
        data.addSeries(r);
        data.addSeries(f);
        data.addSeries(a);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "confidence threshold", "", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = style(chart);
        XYLineAndShapeRenderer rend = lines(plot, BLUE, ORANGE, GREEN, PURPLE);
        rend.setSeriesStroke(3, dashed(2f));
        unitAxes(plot);
        plot.addDomainMarker(marker(threshold, String.format(Locale.ROOT, "threshold %.2f", threshold), GREY,
                TextAnchor.TOP_LEFT, RectangleAnchor.TOP_RIGHT));
        if (!Double.isNaN(bestF1Threshold)) {
            boolean leftOfThreshold = bestF1Threshold < threshold;
            plot.addDomainMarker(marker(bestF1Threshold, String.format(Locale.ROOT, "best F1 %.2f", bestF1Threshold),
                    RED, leftOfThreshold ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_LEFT,
                    leftOfThreshold ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.BOTTOM_RIGHT));
        }
        return render(chart);
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static ValueMarker marker(double x, String label, Color color, TextAnchor text, RectangleAnchor anchor) {
        ValueMarker m = new ValueMarker(x, color, dashed(1.5f));
        m.setLabel(label);
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        m.setLabelPaint(color);
        m.setLabelAnchor(anchor);
        m.setLabelTextAnchor(text);
        m.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
        return m;
    }

    private static XYPlot style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        TextTitle t = chart.getTitle();
        if (t != null) {
            t.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(new Color(0xbbbbbb));
        return plot;
    }

    private static XYLineAndShapeRenderer lines(XYPlot plot, Color... colors) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        plot.setRenderer(r);
        return r;
    }

    private static Stroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);
    }

    private static void unitAxes(XYPlot plot) {
        for (NumberAxis axis : new NumberAxis[] {(NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis()}) {
            axis.setRange(0, 1.0);
            axis.setAutoRangeIncludesZero(true);
            axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
    }

    private static BufferedImage render(JFreeChart chart) {
        return chart.createBufferedImage(WIDTH * SCALE, HEIGHT * SCALE, WIDTH, HEIGHT, null);
    }
}
