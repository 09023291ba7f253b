package org.peopleseg.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSetTest {
    @TempDir
    Path dir;

    @Test
    void cocoSplitByIdModuloAndItsGroundTruth() throws IOException {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        StringBuilder imgs = new StringBuilder();
        StringBuilder anns = new StringBuilder();
        for (int id = 0; id < 12; id += 2) {
            Files.write(images.resolve(id + ".jpg"), new byte[] {(byte) id});
            imgs.append(imgs.length() == 0 ? "" : ",").append("{\"id\":").append(id).append(",\"file_name\":\"")
                    .append(id).append(".jpg\",\"width\":10,\"height\":10}");
            anns.append(anns.length() == 0 ? "" : ",").append("{\"id\":").append(id + 100).append(",\"image_id\":")
                    .append(id).append(",\"category_id\":1,\"bbox\":[1,1,3,3],\"area\":9,\"iscrowd\":0}");
        }
        Path gt = dir.resolve("gt.json");
        Files.writeString(gt, "{\"images\":[" + imgs + "],\"annotations\":[" + anns
                + "],\"categories\":[{\"id\":1,\"name\":\"person\"}]}");
        ImageSet train = ImageSet.coco(gt, null, new ImageSet.Split(4, 0, 0));
        ImageSet test = ImageSet.coco(gt, null, new ImageSet.Split(4, 2, 2));
        assertEquals(3, train.size()); // 0, 4, 8
        assertEquals(2, test.size()); // 2, 6 (limit 2)
        assertTrue(train.images().stream().allMatch(e -> e.id() % 4 == 0));
        assertEquals(2, test.groundTruth().annotations().size());
        assertEquals(64, train.digest().length());
        assertNotEquals(train.digest(), test.digest());
        assertThrows(IOException.class, () -> ImageSet.coco(gt, null, new ImageSet.Split(4, 1, 0)));
    }

    @Test
    void folderInNameOrderWithLimit() throws IOException {
        Files.write(dir.resolve("b.png"), new byte[] {1});
        Files.write(dir.resolve("a.jpg"), new byte[] {2});
        Files.write(dir.resolve("notes.txt"), new byte[] {3});
        ImageSet s = ImageSet.folder(dir, 0);
        assertEquals(2, s.size());
        assertEquals("a.jpg", s.images().get(0).name());
        assertEquals(1, ImageSet.folder(dir, 1).size());
    }
}
