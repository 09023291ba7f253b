// SPDX-License-Identifier: Apache-2.0
package org.peopleseg.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of files and text: the one hasher behind provenance (checkpoints, TFLite imports), download checks,
 * calibration caches and training metadata. Files are streamed, never read whole.
 */
public final class Sha256 {
    private Sha256() {}

    /** The file's digest (32 bytes). */
    public static byte[] digest(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    /** The file's digest as 64 lower-case hex digits. */
    public static String hex(Path file) throws IOException {
        return HexFormat.of().formatHex(digest(file));
    }

    /** The digest of the text's UTF-8 bytes, as 64 lower-case hex digits. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
