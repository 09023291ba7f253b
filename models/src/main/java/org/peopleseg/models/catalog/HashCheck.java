package org.peopleseg.models.catalog;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a downloaded file's SHA-256 must be: the full digest, or only its first hex digits where the publisher gives
 * no more — torch.hub's rule for hash-named files such as {@code maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth}
 * ({@code torch.hub.download_url_to_file(..., hash_prefix)}: the digits after the last '-' start the SHA-256).
 *
 * @param hex    lower-case hex: 64 digits for a full hash, fewer for a prefix
 */
public record HashCheck(String hex) {
    // torch.hub's HASH_REGEX: "-([a-f0-9]*)\." searched in the file name
    private static final Pattern TORCH_HUB_NAME = Pattern.compile("-([a-f0-9]*)\\.");

    public HashCheck {
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() < 8 || hex.length() > 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("a SHA-256 or a prefix of at least 8 hex digits expected, got '" + hex
                    + "'");
        }
    }

    /** The prefix torch.hub would check for this file name, or null when the name carries none. */
    static String torchHubPrefix(String fileName) {
        Matcher m = TORCH_HUB_NAME.matcher(fileName);
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
    }

    public boolean isPrefix() {
        return hex.length() < 64;
    }

    public boolean matches(byte[] sha256) {
        return HexFormat.of().formatHex(sha256).startsWith(hex);
    }

    /** "sha256 260fbb48...acd" or "sha256 starting bf2d0c1e". */
    public String describe() {
        return isPrefix() ? "SHA-256 starting " + hex : "SHA-256 " + hex;
    }
}
