package io.conveyor.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where the files that handlers produce are kept, by name: the worker writes them, the gateway serves them. Names are
 * flat (a plain file name, see {@link ArtifactNames}), one per task ({@code <taskId>.<extension>}).
 *
 * <p>{@link LocalArtifactStore}, a directory that the workers and the gateway share ({@code CONVEYOR_ARTIFACT_DIR}),
 * is the only implementation today. The interface is the seam for an S3-compatible object store: a name maps to an
 * object key under a prefix, {@link #write} to a single PUT (an object appears whole or not at all, as the local
 * store's rename does), {@link #find} to a HEAD (size, last-modified) whose {@link StoredArtifact#open} is a ranged
 * GET and whose {@link StoredArtifact#localFile} is empty, so the gateway streams it instead of sending a file.
 *
 * <p>Calls block (file system or network IO): callers keep them off event-loop threads.
 */
public interface ArtifactStore {

    /**
     * The artifact called {@code name}; empty when there is none, or when {@code name} is not a plain file name
     * (such a name is never looked up).
     *
     * @throws IOException when the store cannot be read (not when the artifact is merely absent)
     */
    Optional<StoredArtifact> find(String name) throws IOException;

    /**
     * Stores {@code content} as {@code name}, whole or not at all, replacing an artifact of that name.
     *
     * @throws IllegalArgumentException when {@code name} is not a plain file name
     */
    void write(String name, byte[] content) throws IOException;

    /**
     * Stores what {@code content} writes as {@code name}, whole or not at all: when {@code content} throws, nothing
     * is stored and the artifact of that name, if any, stays as it was. For artifacts too large to hold in memory.
     *
     * @return the number of bytes stored
     * @throws IllegalArgumentException when {@code name} is not a plain file name
     */
    long write(String name, Content content) throws IOException;

    /** Writes an artifact's bytes to a stream, which it must not close. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
