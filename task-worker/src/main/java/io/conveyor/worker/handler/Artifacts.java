package io.conveyor.worker.handler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.conveyor.artifact.ArtifactNames;
import io.conveyor.artifact.ArtifactStore;
import io.conveyor.artifact.LocalArtifactStore;
import io.conveyor.artifact.StoredArtifact;

/**
 * Where handlers put the files they produce: {@code CONVEYOR_ARTIFACT_DIR}, one file per task named after it, which
 * the gateway serves at {@code GET /api/v1/tasks/{id}/artifact}. Shared by every handler that writes one, so a new
 * file-producing type still touches only its record and handler. The files go through an {@link ArtifactStore}, a
 * local directory today.
 */
@ApplicationScoped
public class Artifacts {

    private final ArtifactStore store;

    public Artifacts(@ConfigProperty(name = "conveyor-handlers.artifact-dir", defaultValue = "artifacts") Path dir) {
        this.store = new LocalArtifactStore(dir);
    }

    /**
     * Writes {@code <taskId>.<extension>} whole or not at all and returns its name, which the task's result carries
     * as {@code artifact}. An id that could name another path is refused for good.
     */
    public String write(String taskId, String extension, byte[] content) throws IOException {
        String fileName = fileName(taskId, extension);
        store.write(fileName, content);
        return fileName;
    }

    /** An artifact as stored: its name and size. */
    public record Written(String name, long bytes) {}

    /**
     * Streams what {@code content} writes into {@code <taskId>.<extension>}, which appears whole once {@code content}
     * returns, or not at all (an earlier attempt's file stays) when it throws. For artifacts too large for memory.
     */
    public Written write(String taskId, String extension, ArtifactStore.Content content) throws IOException {
        String fileName = fileName(taskId, extension);
        return new Written(fileName, store.write(fileName, content));
    }

    private static String fileName(String taskId, String extension) {
        String fileName = taskId + "." + extension;
        if (!taskId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}") || !ArtifactNames.isPlain(fileName)) {
            throw new NonRetryableException("Task id '" + taskId + "' cannot name an artifact file");
        }
        return fileName;
    }

    /**
     * The artifact called {@code name}, which another task wrote; empty when there is none or {@code name} is not a
     * plain file name. Blocks.
     *
     * @throws IOException when the store cannot be read (not when the artifact is merely absent)
     */
    public Optional<StoredArtifact> find(String name) throws IOException {
        return store.find(name);
    }
}
