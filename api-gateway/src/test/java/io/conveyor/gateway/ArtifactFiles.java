package io.conveyor.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.conveyor.testsupport.LocalServices;

/**
 * Artifacts as a worker leaves them: a file in the gateway's artifact directory and a SUCCEEDED task whose result
 * names it. {@link #deleteAll()} removes the files again.
 */
public final class ArtifactFiles {

    private final Path dir;
    private final LocalServices services;
    private final List<Path> written = new ArrayList<>();

    public ArtifactFiles(Path dir, LocalServices services) {
        this.dir = dir;
        this.services = services;
    }

    /** Writes {@code content} as {@code name} in the directory (or where {@code name} leads), last changed then. */
    public Path write(String name, byte[] content, Instant modified) {
        try {
            Path file = dir.resolve(name).normalize();
            Files.createDirectories(file.getParent());
            written.add(file);
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(modified));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the task to SUCCEEDED with {@code result}, as a worker that ran it would. */
    public void succeed(String id, Map<String, ?> result) {
        services.redis().succeed(id, result);
    }

    public void deleteAll() {
        try {
            for (Path file : written) {
                Files.deleteIfExists(file);
            }
            written.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
