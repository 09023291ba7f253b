package org.peopleseg.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns {@code --input} arguments into image files, in a stable order:
 *
 * <ul>
 *   <li>a directory: its image files (.jpg .jpeg .png .bmp .gif), not recursive, sorted by name;</li>
 *   <li>a glob (an argument with * ? [ or { that is not an existing file), quoted so the shell leaves it alone:
 *       the files it matches, sorted, e.g. {@code 'frames/*.jpg'} or {@code 'data/**}{@code /*.png'};</li>
 *   <li>anything else: that file, as given — a missing or unreadable one fails later, by name.</li>
 * </ul>
 *
 * The same file given twice is processed once. A directory without images or a glob matching nothing is a
 * problem reported by name.
 */
final class InputFiles {
    static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif");

    /** @param files the images to process; @param problems arguments that yielded no file, with the reason */
    record Expansion(List<Path> files, List<String> problems) {}

    private InputFiles() {}

    static Expansion expand(List<String> args) throws IOException {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            List<Path> found;
            if (Files.isDirectory(p)) {
                found = imagesIn(p);
                if (found.isEmpty()) {
                    problems.add(arg + ": no images (" + String.join(" ", IMAGE_EXTENSIONS) + ") in this directory");
                }
            } else if (isGlob(arg) && !Files.exists(p)) {
                found = glob(arg);
                if (found.isEmpty()) {
                    problems.add(arg + ": no file matches this pattern");
                }
            } else {
                found = List.of(p);
            }
            for (Path f : found) {
                if (seen.add(f.toAbsolutePath().normalize())) {
                    files.add(f);
                }
            }
        }
        return new Expansion(files, problems);
    }

    static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1));
    }

    private static List<Path> imagesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> Files.isRegularFile(f) && isImageName(f)).sorted().toList();
        }
    }

    static boolean isGlob(String arg) {
        return arg.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** Walks from the longest leading part of the pattern that has no wildcard, matching the rest. */
    private static List<Path> glob(String pattern) throws IOException {
        Path full = Path.of(pattern);
        Path base = full.isAbsolute() ? full.getRoot() : Path.of("");
        int first = 0;
        for (; first < full.getNameCount() - 1; first++) {
            String part = full.getName(first).toString();
            if (isGlob(part)) {
                break;
            }
            base = base.resolve(part);
        }
        Path root = base;
        Path rest = full.subpath(first, full.getNameCount());
        boolean recursive = rest.toString().contains("**");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        Path start = root.toString().isEmpty() ? Path.of(".") : root;
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        int depth = recursive ? Integer.MAX_VALUE : rest.getNameCount();
        try (Stream<Path> s = Files.walk(start, depth, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> matcher.matches(start.relativize(f)))
                    .map(f -> root.toString().isEmpty() ? start.relativize(f) : f)
                    .sorted()
                    .toList();
        }
    }
}
