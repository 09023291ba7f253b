package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reads a real, full-size checkpoint when one is named, e.g. torchvision's Mask R-CNN state_dict (178 MB,
 * too big to commit):
 *
 * <pre>
 * PEOPLESEG_TORCH_CHECKPOINT=/tmp/maskrcnn_full.pth mvn -o -pl models test -Dtest=TorchCheckpointLargeFileTest
 * </pre>
 *
 * If {@code <file>.sha256.json} exists ({@code {"tensors": [{"name", "dtype", "shape", "sha256"}]}}, the
 * SHA-256 of each tensor's contiguous little-endian bytes as Python computed them), every tensor is
 * compared byte for byte. Skipped when no file is named.
 */
class TorchCheckpointLargeFileTest {

    @Test
    @SuppressWarnings("unchecked")
    void readsAFullSizeCheckpoint() throws IOException, NoSuchAlgorithmException {
        String named = System.getProperty("peopleseg.torch.checkpoint", System.getenv("PEOPLESEG_TORCH_CHECKPOINT"));
        Assumptions.assumeTrue(named != null && !named.isBlank(), "no PEOPLESEG_TORCH_CHECKPOINT given");
        Path file = Path.of(named);

        long start = System.nanoTime();
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(file);
        long read = System.nanoTime() - start;
        long elements = 0;
        start = System.nanoTime();
        for (TorchTensor t : sd.values()) {
            elements += t.dtype().isFloatingPoint() ? t.toFloats().length : t.toLongs().length;
        }
        long convert = System.nanoTime() - start;
        System.out.printf("%s: %d tensors, %d elements, read in %d ms, all converted to float[]/long[] in %d ms%n",
                file, sd.size(), elements, read / 1_000_000, convert / 1_000_000);

        Path sums = Path.of(named + ".sha256.json");
        if (Files.exists(sums)) {
            List<Map<String, Object>> expected = (List<Map<String, Object>>)
                    ((Map<String, Object>) MiniJson.parse(Files.readString(sums))).get("tensors");
            List<String> names = new ArrayList<>();
            expected.forEach(t -> names.add((String) t.get("name")));
            assertEquals(names, new ArrayList<>(sd.keySet()));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map<String, Object> t : expected) {
                TorchTensor tensor = sd.get((String) t.get("name"));
                assertEquals(t.get("dtype"), tensor.dtype().typeName());
                assertArrayEquals(((List<Object>) t.get("shape")).stream().mapToLong(v -> (Long) v).toArray(),
                        tensor.shape());
                assertEquals(t.get("sha256"), HexFormat.of().formatHex(sha.digest(tensor.toRawBytes())),
                        (String) t.get("name"));
            }
            System.out.printf("all %d tensors match %s byte for byte%n", expected.size(), sums);
        }
    }
}
