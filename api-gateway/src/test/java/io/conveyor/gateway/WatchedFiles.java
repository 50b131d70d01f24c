package io.conveyor.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Writes the files the gateway watches and re-reads when they change (the API keys, the webhook secrets). */
public final class WatchedFiles {

    private static final AtomicInteger WRITES = new AtomicInteger();

    private WatchedFiles() {}

    /**
     * Writes {@code lines} to {@code file} with a new modification time on every write, even within the file
     * system's timestamp granularity, so the watcher sees each change.
     */
    public static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(WRITES.incrementAndGet())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
