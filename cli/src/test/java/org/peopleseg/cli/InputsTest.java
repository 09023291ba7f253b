package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input expansion, image ids and output names. */
class InputsTest {
    @TempDir
    Path tmp;

    @Test
    void numericNamesAreCocoIdsOthersGetTheSmallestFreeId() {
        List<InputImage> images = InputImage.assign(List.of(Path.of("x/street.jpg"), Path.of("000000000002.jpg"),
                Path.of("y/street.png"), Path.of("z/000000000002.jpg"), Path.of("000000081394.jpg")));
        assertEquals(List.of(1L, 2L, 3L, 4L, 81394L), images.stream().map(InputImage::id).toList());
        assertEquals(List.of("street", "000000000002", "street-2", "000000000002-2", "000000081394"),
                images.stream().map(InputImage::name).toList());
    }

    @Test
    void numericId() {
        assertEquals(81394L, InputImage.numericId("000000081394"));
        assertNull(InputImage.numericId("0"));
        assertNull(InputImage.numericId("12a"));
        assertNull(InputImage.numericId("1234567890123456789"));
        assertNull(InputImage.numericId(""));
    }

    @Test
    void directoriesGlobsAndFilesExpandInOrderWithoutDuplicates() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("frames"));
        for (String n : List.of("b.jpg", "a.PNG", "c.txt", "d.jpeg")) {
            Files.writeString(dir.resolve(n), "x");
        }
        Files.createDirectories(dir.resolve("deeper"));
        Files.writeString(dir.resolve("deeper/e.jpg"), "x");

        InputFiles.Expansion e = InputFiles.expand(List.of(dir.toString(), dir + "/*.jpg", dir + "/**/*.jpg",
                dir.resolve("missing.jpg").toString(), tmp + "/none/*.png", Files.createDirectories(tmp.resolve("empty")).toString()));

        assertEquals(List.of(dir.resolve("a.PNG"), dir.resolve("b.jpg"), dir.resolve("d.jpeg"), dir.resolve("deeper/e.jpg"),
                dir.resolve("missing.jpg")), e.files());
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).contains("no file matches"), e.problems().toString());
        assertTrue(e.problems().get(1).contains("no images"), e.problems().toString());
    }

    @Test
    void inputSize() {
        assertEquals(new InputSize(960, 576), InputSize.parse("960x576"));
        assertEquals("768x576", InputSize.parse(" 768X576 ").toString());
        for (String bad : List.of("960", "960x", "x576", "960*576", "16x16", "99999x576")) {
            try {
                InputSize.parse(bad);
                throw new AssertionError(bad + " accepted");
            } catch (IllegalArgumentException expected) {
                // good
            }
        }
    }

    @Test
    void cocoClassesFollowTorchvisionsLayout() {
        assertEquals(91, CocoClasses.NAMES.size());
        assertEquals(1, CocoClasses.idOf("Person"));
        assertEquals(90, CocoClasses.idOf("toothbrush"));
        assertEquals(-1, CocoClasses.idOf("N/A"));
        assertEquals(-1, CocoClasses.idOf("background"));
        assertEquals("person", CocoClasses.suggest("persn"));
        assertNull(CocoClasses.suggest("spaceship"));
        ClassSelection person = ClassSelection.coco(List.of("person"));
        assertEquals(List.of("background", "person"), person.labels());
        assertEquals(List.of(0, 1), person.categoryIds());
        assertEquals(List.of(0, 3, 1), ClassSelection.coco(List.of("car", "person")).categoryIds());
    }
}
