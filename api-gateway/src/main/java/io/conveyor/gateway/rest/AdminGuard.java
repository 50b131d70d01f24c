package io.conveyor.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Guards the operator endpoints (cancel, dead letters) with {@code Authorization: Bearer <CONVEYOR_ADMIN_TOKEN>}.
 * Compared in constant time. Without a configured token they are open, and the gateway says so at startup.
 */
@ApplicationScoped
public class AdminGuard {

    private static final Logger LOG = Logger.getLogger(AdminGuard.class);
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;

    public AdminGuard(GatewayConfig config) {
        this.token = config.adminToken().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    void warn(@Observes StartupEvent event) {
        if (token.isEmpty()) {
            LOG.warn("CONVEYOR_ADMIN_TOKEN is not set: cancel and dead-letter operations are open to every caller. "
                    + "Set it in production.");
        }
    }

    /** Throws a 401 or 403 problem unless the header carries the admin token (or none is configured). */
    public void check(String authorization) {
        if (token.isEmpty()) {
            return;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw new ProblemException(Problem.of(
                    "unauthorized", "Unauthorized", 401, "This operation needs Authorization: Bearer <admin token>"));
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get())) {
            throw new ProblemException(Problem.of("forbidden", "Forbidden", 403, "The admin token is not valid"));
        }
    }
}
