package org.peopleseg.optimize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.io.Sha256;

/**
 * The images of a calibration or validation set, with the SHA-256 of each file (recorded in the INT8 package and
 * the calibration cache's key). From a folder (image files in name order) or a COCO annotations file (its images,
 * optionally only ids with {@code id % modulus == remainder}: coco-person is split by {@code id % 4}).
 *
 * @param groundTruth the annotations restricted to these images, or null for a plain folder
 */
public record ImageSet(List<Entry> images, CocoDataset groundTruth) {
    /** @param id the COCO image id, or -1 for a folder */
    public record Entry(Path file, String name, long id, String sha256) {
    }

    /** Selects images: every {@code modulus}-th id with the given remainder (modulus 0: all), the first {@code limit}. */
    public record Split(int modulus, int remainder, int limit) {
        public static final Split ALL = new Split(0, 0, 0);

        boolean accepts(long id) {
            return modulus <= 0 || Math.floorMod(id, modulus) == remainder;
        }
    }

    public ImageSet {
        images = List.copyOf(images);
    }

    public static ImageSet folder(Path dir, int limit) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such image folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(ImageSet::isImage).sorted().toList();
        }
        List<Entry> out = new ArrayList<>();
        for (Path f : files) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            out.add(new Entry(f, f.getFileName().toString(), -1, Sha256.hex(f)));
        }
        if (out.isEmpty()) {
            throw new IOException(dir + ": no images (.jpg, .jpeg, .png, .bmp)");
        }
        return new ImageSet(out, null);
    }

    /** @param imageDir where the annotations' file_name entries are (default: the folder "images" beside them) */
    public static ImageSet coco(Path annotations, Path imageDir, Split split) throws IOException {
        CocoDataset all = CocoDataset.read(annotations);
        Path dir = imageDir != null ? imageDir : annotations.toAbsolutePath().getParent().resolve("images");
        List<Entry> out = new ArrayList<>();
        List<CocoImage> kept = new ArrayList<>();
        for (CocoImage img : all.images()) {
            if (!split.accepts(img.id())) {
                continue;
            }
            if (split.limit() > 0 && out.size() >= split.limit()) {
                break;
            }
            Path f = dir.resolve(img.fileName());
            out.add(new Entry(f, img.fileName(), img.id(), Sha256.hex(f)));
            kept.add(img);
        }
        if (out.isEmpty()) {
            throw new IOException(annotations + ": no images selected");
        }
        List<CocoAnnotation> anns = new ArrayList<>();
        for (CocoImage img : kept) {
            anns.addAll(all.annotationsOf(img.id()));
        }
        return new ImageSet(out, CocoDataset.of(annotations.toString(), kept, anns, all.categories()));
    }

    /** One hash of the whole set: SHA-256 over "name sha256\n" lines in order. */
    public String digest() {
        StringBuilder b = new StringBuilder();
        for (Entry e : images) {
            b.append(e.name()).append(' ').append(e.sha256()).append('\n');
        }
        return hex(digester().digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public int size() {
        return images.size();
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png")
                || n.endsWith(".bmp"));
    }

    private static MessageDigest digester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
