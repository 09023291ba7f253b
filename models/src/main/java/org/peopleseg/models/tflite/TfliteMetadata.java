// SPDX-License-Identifier: Apache-2.0
package org.peopleseg.models.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The TFLite Support metadata a model file may carry: a flatbuffer (metadata_schema.fbs, file identifier "M001")
 * stored in the buffer that the model's {@code metadata} entry named "TFLITE_METADATA" points to. Ultralytics'
 * exports fill in its author and licence ("AGPL-3.0 License (https://ultralytics.com/license)"), which is how
 * {@code peopleseg import} knows the weights' licence when the user does not say it.
 *
 * @param name    the model's name, or null
 * @param author  who made it, or null
 * @param licence its licence as the file states it, or null
 */
public record TfliteMetadata(String name, String author, String licence) {
    private static final String KEY = "TFLITE_METADATA";

    /** The metadata of a TFLite file, empty when it has none or it cannot be read. */
    public static Optional<TfliteMetadata> read(Path file) throws IOException {
        return read(ByteBuffer.wrap(Files.readAllBytes(file)));
    }

    /** The metadata in a TFLite flatbuffer, empty when it has none or it cannot be read (it is optional). */
    static Optional<TfliteMetadata> read(ByteBuffer bytes) {
        try {
            FlatTable model = FlatTable.root(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
            // Model: buffers = field 4, metadata = field 6; Metadata: name = 0, buffer = 1
            int n = model.vectorLength(6);
            for (int i = 0; i < n; i++) {
                FlatTable entry = model.tableAt(6, i);
                if (!KEY.equals(entry.string(0))) {
                    continue;
                }
                int buffer = entry.getInt(1, 0);
                if (buffer <= 0 || buffer >= model.vectorLength(4)) {
                    return Optional.empty();
                }
                ByteBuffer data = model.tableAt(4, buffer).bytes(0);
                // ModelMetadata: name = 0, description = 1, version = 2, subgraph_metadata = 3, author = 4, license = 5
                FlatTable meta = FlatTable.root(data);
                return Optional.of(new TfliteMetadata(meta.string(0), meta.string(4), meta.string(5)));
            }
            return Optional.empty();
        } catch (TfliteFormatException e) {
            return Optional.empty();
        }
    }
}
