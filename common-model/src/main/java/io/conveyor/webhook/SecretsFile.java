package io.conveyor.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The webhook secrets file, re-read when it changes: at most once per {@code checkEvery}, the caller asking for the
 * secrets looks at the file's modification time and size (one cheap {@code stat}) and reloads it if either changed.
 * A broken edit at run time is logged and ignored (the previous secrets stay in force); at startup it throws, naming
 * the file and line. Without a file there are no secrets.
 */
public final class SecretsFile {

    private static final Logger LOG = Logger.getLogger(SecretsFile.class);

    private record Loaded(WebhookSecrets secrets, FileTime modified, long size) {}

    private final Path path;
    private final long checkEveryNanos;
    private volatile Loaded loaded;
    private volatile long checkedAt;

    private SecretsFile(Path path, Duration checkEvery) {
        this.path = path;
        this.checkEveryNanos = checkEvery.toNanos();
    }

    /**
     * Loads the file named by {@code file}, or none when empty.
     *
     * @throws IllegalArgumentException the file is missing, unreadable or malformed (the message names it and the line)
     */
    public static SecretsFile open(Optional<String> file, Duration checkEvery) {
        SecretsFile secrets =
                new SecretsFile(file.filter(f -> !f.isBlank()).map(Path::of).orElse(null), checkEvery);
        if (secrets.path != null) {
            try {
                secrets.loaded = secrets.read();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "Cannot read the webhook secrets file " + secrets.path + ": " + e, e);
            }
            secrets.checkedAt = System.nanoTime();
            LOG.infof(
                    "Webhook secrets: %d client(s) from %s",
                    secrets.loaded.secrets().size(), secrets.path);
        }
        return secrets;
    }

    /** The secrets in force, re-read first if the file changed (checked at most once per interval). */
    public WebhookSecrets current() {
        if (path == null) {
            return WebhookSecrets.NONE;
        }
        long now = System.nanoTime();
        if (now - checkedAt >= checkEveryNanos) {
            checkedAt = now;
            reloadIfChanged();
        }
        return loaded.secrets();
    }

    /** The file, or empty when none is configured. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    private void reloadIfChanged() {
        Loaded before = loaded;
        try {
            if (Files.getLastModifiedTime(path).equals(before.modified()) && Files.size(path) == before.size()) {
                return;
            }
            loaded = read();
            LOG.infof(
                    "Webhook secrets reloaded: %d client(s) from %s",
                    loaded.secrets().size(), path);
        } catch (NoSuchFileException e) {
            LOG.warnf(
                    "The webhook secrets file %s is gone; keeping the %d secret(s) loaded before",
                    path, before.secrets().size());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            LOG.errorf(
                    "Ignoring the changed webhook secrets file (%s); the previous secrets stay in force",
                    e.getMessage());
            try {
                // Not again until it changes once more.
                loaded = new Loaded(before.secrets(), Files.getLastModifiedTime(path), Files.size(path));
            } catch (IOException ignored) {
                // Looked at again at the next check.
            }
        }
    }

    private Loaded read() throws IOException {
        FileTime modified = Files.getLastModifiedTime(path);
        long size = Files.size(path);
        WebhookSecrets secrets =
                WebhookSecrets.parse(Files.readAllLines(path, StandardCharsets.UTF_8), path.toString());
        return new Loaded(secrets, modified, size);
    }
}
