package org.peopleseg.models.torch;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A typed window onto one raw storage record of a checkpoint: what a persistent id in the pickle stands
 * for. Tensors are views of storages (offset, shape, strides), and several tensors may view one storage,
 * so storages are kept separate from tensors and never copied per tensor.
 *
 * <p>The bytes live in a {@link Blob}. In the zip format a blob is read as soon as the pickle names it; in
 * the legacy format the storage records follow the pickle in the file, so a blob is created empty when
 * the pickle names it and {@linkplain Blob#fill filled} before {@link TorchCheckpoint#read} returns.
 */
final class TorchStorage {

    /** The raw bytes of one storage record, shared by every typed storage and tensor over it. */
    static final class Blob {
        private final String key;
        private ByteBuffer bytes;

        Blob(String key) {
            this.key = key;
        }

        Blob(String key, ByteBuffer bytes) {
            this.key = key;
            fill(bytes);
        }

        String key() {
            return key;
        }

        /** Sets the bytes, once. The buffer must already carry the file's byte order. */
        void fill(ByteBuffer data) {
            if (bytes != null) {
                throw new IllegalStateException("storage '" + key + "' filled twice");
            }
            bytes = data.slice().asReadOnlyBuffer().order(data.order());
        }

        boolean isFilled() {
            return bytes != null;
        }

        long byteLength() {
            return bytes == null ? -1 : bytes.capacity();
        }

        ByteBuffer bytes() {
            if (bytes == null) {
                throw new IllegalStateException("storage '" + key + "' has no data yet");
            }
            return bytes;
        }
    }

    private final TorchDtype dtype;
    private final Blob blob;
    private final long elementOffset;
    private final long numel;

    /**
     * @param elementOffset first element of this storage within the blob, in elements of {@code dtype}
     *     (non-zero only for legacy storage views)
     * @param numel number of elements of {@code dtype}
     */
    TorchStorage(TorchDtype dtype, Blob blob, long elementOffset, long numel) {
        this.dtype = Objects.requireNonNull(dtype);
        this.blob = Objects.requireNonNull(blob);
        if (elementOffset < 0 || numel < 0) {
            throw new IllegalArgumentException("negative storage offset or size");
        }
        this.elementOffset = elementOffset;
        this.numel = numel;
    }

    TorchDtype dtype() {
        return dtype;
    }

    Blob blob() {
        return blob;
    }

    long numel() {
        return numel;
    }

    /** Bytes this storage needs from the start of its blob. */
    long requiredBlobBytes() {
        return (elementOffset + numel) * dtype.byteSize();
    }

    /** The blob's bytes, read-only, in the checkpoint's byte order. */
    ByteBuffer buffer() {
        return blob.bytes();
    }

    /** Byte index, within {@link #buffer()}, of element {@code element} of this storage. */
    int byteIndex(long element) {
        return Math.toIntExact((elementOffset + element) * dtype.byteSize());
    }
}
