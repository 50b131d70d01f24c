package io.conveyor.gateway.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.Digests;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The clients the gateway knows: the keys file's, re-read when it changes, and the admin token. Keys are matched
 * by comparing the SHA-256 of the presented key with every client's in constant time. A keys file that cannot be
 * read or parsed stops startup; a bad edit later keeps the previous clients and logs why.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private record Loaded(List<ApiClient> clients, FileTime modified, long size) {}

    private final Optional<Path> file;
    private final GatewayConfig.Security config;
    private final AdminToken adminToken;
    private final Vertx vertx;
    private volatile Loaded loaded = new Loaded(List.of(), null, -1);
    private long timer = -1;

    public ApiKeys(GatewayConfig config, AdminToken adminToken, Vertx vertx) {
        this.config = config.security();
        this.file = this.config.keysFile().filter(f -> !f.isBlank()).map(Path::of);
        this.adminToken = adminToken;
        this.vertx = vertx;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (file.isEmpty()) {
            return;
        }
        loaded = load(file.get());
        LOG.infof("API keys: %d clients from %s", loaded.clients().size(), file.get());
        timer = vertx.setPeriodic(
                config.reloadInterval().toMillis(),
                id -> vertx.executeBlocking(() -> {
                    reloadIfChanged();
                    return null;
                }));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** True when a keys file is configured: protected mode is off and every request needs a key. */
    public boolean configured() {
        return file.isPresent();
    }

    /** The client a presented key belongs to (the admin token's is {@code admin}, with every role). */
    public Optional<ApiClient> match(String key) {
        byte[] digest = Digests.sha256Bytes(key);
        ApiClient found = null;
        // No early exit: every comparison runs, so the time taken does not say which client came close.
        for (ApiClient client : loaded.clients()) {
            if (MessageDigest.isEqual(digest, client.keySha256())) {
                found = client;
            }
        }
        Optional<byte[]> admin = adminToken.sha256();
        if (admin.isPresent() && MessageDigest.isEqual(digest, admin.get())) {
            found = new ApiClient(KeysFile.ADMIN_CLIENT, Roles.ALL, admin.get(), null);
        }
        return Optional.ofNullable(found);
    }

    /** Re-reads the file if its time or size changed; a file that no longer parses keeps the previous clients. */
    void reloadIfChanged() {
        Path path = file.orElseThrow();
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            long size = Files.size(path);
            Loaded current = loaded;
            if (Objects.equals(modified, current.modified()) && size == current.size()) {
                return;
            }
            loaded = load(path);
            LOG.infof("API keys reloaded: %d clients from %s", loaded.clients().size(), path);
        } catch (IOException | KeysFileException e) {
            LOG.errorf(
                    "The keys file %s was changed but cannot be used, the previous %d clients stay in force: %s",
                    path, loaded.clients().size(), e.getMessage());
            try {
                // Do not retry the same broken content every interval; a new edit changes the time again.
                loaded = new Loaded(loaded.clients(), Files.getLastModifiedTime(path), Files.size(path));
            } catch (IOException ignored) {
                // The file is gone: the next check logs again once it is back.
            }
        }
    }

    private static Loaded load(Path path) {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            long size = Files.size(path);
            return new Loaded(KeysFile.read(path), modified, size);
        } catch (IOException e) {
            throw new KeysFileException("Cannot read the keys file " + path + " (CONVEYOR_API_KEYS_FILE): " + e, e);
        }
    }
}
