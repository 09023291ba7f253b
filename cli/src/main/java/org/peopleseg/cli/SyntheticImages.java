package org.peopleseg.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Street-like test frames drawn in code: sky, buildings, ground, and a few people-like figures (head, torso, arms,
 * legs) standing at different depths. For the benchmark's default input and for the demo on a machine without
 * sample photos; the same seed gives the same image on every machine.
 */
final class SyntheticImages {
    private static final Color[] SKIN = {new Color(0xF1C27D), new Color(0xC68642), new Color(0x8D5524),
            new Color(0xFFDBAC), new Color(0xE0AC69)};

    private SyntheticImages() {}

    static BufferedImage scene(int width, int height, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int horizon = (int) (height * 0.45);
            g.setPaint(new GradientPaint(0, 0, new Color(0x87AFD7), 0, horizon, new Color(0xDCE6F0)));
            g.fillRect(0, 0, width, horizon);
            for (int x = 0; x < width; ) {
                int w = width / 12 + rnd.nextInt(width / 8);
                int h = horizon / 3 + rnd.nextInt(horizon / 2);
                int grey = 90 + rnd.nextInt(100);
                g.setColor(new Color(grey, grey - 10 + rnd.nextInt(20), grey - 20 + rnd.nextInt(20)));
                g.fillRect(x, horizon - h, w, h);
                x += w + rnd.nextInt(width / 30 + 1);
            }
            g.setPaint(new GradientPaint(0, horizon, new Color(0x8C8C82), 0, height, new Color(0x5A5A52)));
            g.fillRect(0, horizon, width, height - horizon);
            double[] depths = new double[2 + rnd.nextInt(4)]; // 0 far, 1 near
            for (int i = 0; i < depths.length; i++) {
                depths[i] = rnd.nextDouble();
            }
            java.util.Arrays.sort(depths); // far ones first, so nearer people overlap them
            for (double depth : depths) {
                double feetY = horizon + (height - horizon) * (0.25 + 0.7 * depth);
                double tall = height * (0.25 + 0.45 * depth);
                double x = width * (0.08 + 0.84 * rnd.nextDouble());
                person(g, rnd, x, feetY, tall);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** A standing figure whose feet are at (cx, feetY), {@code tall} pixels high. */
    private static void person(Graphics2D g, Random rnd, double cx, double feetY, double tall) {
        double head = tall * 0.13;
        double shoulders = tall * 0.17;
        double top = feetY - tall;
        double torsoTop = top + head * 1.05;
        double hip = top + tall * 0.52;
        Color skin = SKIN[rnd.nextInt(SKIN.length)];
        Color shirt = Color.getHSBColor(rnd.nextFloat(), 0.4f + 0.5f * rnd.nextFloat(), 0.3f + 0.6f * rnd.nextFloat());
        Color trousers = Color.getHSBColor(rnd.nextFloat(), 0.3f * rnd.nextFloat(), 0.15f + 0.4f * rnd.nextFloat());
        float limb = (float) (tall * 0.05);
        g.setStroke(new BasicStroke(limb, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double stride = tall * (0.04 + 0.08 * rnd.nextDouble());
        g.setColor(trousers);
        g.draw(new Line2D.Double(cx - shoulders * 0.25, hip, cx - shoulders * 0.25 - stride, feetY - limb / 2));
        g.draw(new Line2D.Double(cx + shoulders * 0.25, hip, cx + shoulders * 0.25 + stride, feetY - limb / 2));
        g.setColor(shirt);
        double swing = tall * 0.06 * rnd.nextDouble();
        g.draw(new Line2D.Double(cx - shoulders / 2, torsoTop + limb / 2, cx - shoulders / 2 - swing, hip + tall * 0.02));
        g.draw(new Line2D.Double(cx + shoulders / 2, torsoTop + limb / 2, cx + shoulders / 2 + swing, hip + tall * 0.02));
        g.fill(new RoundRectangle2D.Double(cx - shoulders / 2, torsoTop, shoulders, hip - torsoTop + tall * 0.03,
                shoulders * 0.5, shoulders * 0.5));
        g.setColor(skin);
        g.fill(new Ellipse2D.Double(cx - head * 0.4, top, head * 0.8, head));
    }
}
