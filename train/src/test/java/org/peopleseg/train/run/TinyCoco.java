package org.peopleseg.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes a small COCO instances data set for tests: PNG images with one to three filled rectangles ("people"), each
 * annotated with its box and a polygon mask, plus the bad cases the trainer must survive: a missing image, a
 * corrupt image, and an annotation whose box has no area.
 */
final class TinyCoco {
    private TinyCoco() {}

    static Path write(Path dir, int images, int width, int height, boolean withBadCases) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode imgs = root.putArray("images");
        ArrayNode anns = root.putArray("annotations");
        root.putArray("categories").addObject().put("id", 1).put("name", "person").put("supercategory", "person");
        SplittableRandom r = new SplittableRandom(7);
        long annId = 1;
        for (int i = 1; i <= images; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(40 + r.nextInt(40), 90, 60));
            g.fillRect(0, 0, width, height);
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                int w = 6 + r.nextInt(width / 3);
                int h = 8 + r.nextInt(height / 2);
                int x = r.nextInt(width - w);
                int y = r.nextInt(height - h);
                g.setColor(new Color(200, 160 + r.nextInt(60), 120));
                g.fillRect(x, y, w, h);
                ObjectNode a = anns.addObject().put("id", annId++).put("image_id", i).put("category_id", 1)
                        .put("iscrowd", 0).put("area", (double) w * h);
                a.putArray("bbox").add(x).add(y).add(w).add(h);
                a.putArray("segmentation").addArray().add(x).add(y).add(x + w).add(y).add(x + w).add(y + h).add(x).add(y + h);
            }
            g.dispose();
            String name = String.format("img%03d.png", i);
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            imgs.addObject().put("id", i).put("file_name", name).put("width", width).put("height", height);
        }
        if (withBadCases) {
            imgs.addObject().put("id", 1001).put("file_name", "missing.png").put("width", width).put("height", height);
            Files.write(dir.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
            imgs.addObject().put("id", 1002).put("file_name", "corrupt.png").put("width", width).put("height", height);
            ObjectNode a = anns.addObject().put("id", annId++).put("image_id", 1).put("category_id", 1)
                    .put("iscrowd", 0).put("area", 0.0);
            a.putArray("bbox").add(5).add(5).add(0).add(10);
        }
        Path gt = dir.resolve("annotations.json");
        json.writeValue(gt.toFile(), root);
        return gt;
    }
}
