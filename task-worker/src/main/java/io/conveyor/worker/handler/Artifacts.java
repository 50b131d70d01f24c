package io.conveyor.worker.handler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where handlers put the files they produce: {@code CONVEYOR_ARTIFACT_DIR}, one file per task named after it.
 * Shared by every handler that writes one, so a new file-producing type still touches only its record and handler.
 */
@ApplicationScoped
public class Artifacts {

    private final Path dir;

    public Artifacts(@ConfigProperty(name = "conveyor-handlers.artifact-dir", defaultValue = "artifacts") Path dir) {
        this.dir = dir;
    }

    /**
     * Writes {@code <taskId>.<extension>} whole or not at all (a temporary file, then an atomic rename) and returns
     * its name inside the artifact directory. An id that could name another path is refused for good.
     */
    public String write(String taskId, String extension, byte[] content) throws IOException {
        if (!taskId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            throw new NonRetryableException("Task id '" + taskId + "' cannot name an artifact file");
        }
        String fileName = taskId + "." + extension;
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + fileName + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out =
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(content);
            }
            Files.move(
                    temp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return fileName;
    }
}
