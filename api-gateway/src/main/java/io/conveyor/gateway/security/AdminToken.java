package io.conveyor.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.Digests;

/**
 * The admin token: {@code CONVEYOR_ADMIN_TOKEN}, or else the content of {@code CONVEYOR_ADMIN_TOKEN_FILE}, written
 * with a fresh random token when the file does not exist yet (first start of a compose stack). Only its SHA-256 is
 * kept; the token itself is never logged.
 */
@ApplicationScoped
public class AdminToken {

    private static final Logger LOG = Logger.getLogger(AdminToken.class);
    private static final int TOKEN_BYTES = 32;

    private final Optional<byte[]> sha256;

    public AdminToken(GatewayConfig config) {
        Optional<String> token = config.adminToken().map(String::trim).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            token = config.security().adminTokenFile().filter(f -> !f.isBlank()).map(f -> readOrCreate(Path.of(f)));
        }
        this.sha256 = token.map(Digests::sha256Bytes);
    }

    /** The SHA-256 of the admin token, if one is configured. */
    public Optional<byte[]> sha256() {
        return sha256;
    }

    /** A fresh key: 32 random bytes, URL-safe base64 without padding (43 characters). */
    public static String newKey() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.notExists(file)) {
                create(file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new IllegalStateException(
                        "The admin token file " + file + " (CONVEYOR_ADMIN_TOKEN_FILE) is empty");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot read or create the admin token file " + file + " (CONVEYOR_ADMIN_TOKEN_FILE): " + e, e);
        }
    }

    private static void create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try {
            // CREATE_NEW: of two replicas starting together, one writes and the other reads what it wrote.
            Files.writeString(file, newKey() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debugf("No POSIX permissions on %s", file);
            }
            LOG.warnf(
                    "Generated an operator key into %s (CONVEYOR_ADMIN_TOKEN_FILE); read it there and send it as "
                            + "Authorization: Bearer <key>",
                    file);
        } catch (FileAlreadyExistsException e) {
            LOG.debugf("The admin token file %s was created meanwhile", file);
        }
    }
}
