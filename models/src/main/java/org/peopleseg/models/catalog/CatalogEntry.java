package org.peopleseg.models.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One file the catalogue knows how to fetch: a model's weights or a sample data file, pinned to an immutable
 * revision of its publisher and checked by hash before anything uses it.
 *
 * @param name        what users type: {@code peopleseg models pull yolo11n-seg}, {@code --model yolo11n-seg}
 * @param kind        "model" (becomes packages) or "data" (used as it is)
 * @param file        the publisher's file name; also the name under a mirror and in the cache
 * @param bytes       exact size, or 0 when the publisher does not state it
 * @param approxBytes a size for messages and the free-space check when {@code bytes} is unknown
 * @param hash        the SHA-256 or its published prefix
 * @param permissive  false for a licence with conditions a user must know before using the weights (AGPL-3.0)
 * @param packages    how the file becomes model packages, the first being what a bare name resolves to
 */
public record CatalogEntry(String name, String kind, String description, String file, String url, String revision,
                           long bytes, long approxBytes, HashCheck hash, String licence, boolean permissive,
                           List<PackageRecipe> packages) {
    public CatalogEntry {
        packages = List.copyOf(packages);
    }

    public boolean isModel() {
        return "model".equals(kind);
    }

    /** The size to show: exact when known. */
    public long displayBytes() {
        return bytes > 0 ? bytes : approxBytes;
    }

    /** The package a bare catalogue name stands for. */
    public Optional<PackageRecipe> defaultPackage() {
        return packages.isEmpty() ? Optional.empty() : Optional.of(packages.get(0));
    }

    /** The package with this file name, with or without ".onnx". */
    public Optional<PackageRecipe> findPackage(String packageName) {
        String wanted = packageName.endsWith(".onnx") ? packageName : packageName + ".onnx";
        return packages.stream().filter(p -> p.name().equals(wanted)).findFirst();
    }
}
