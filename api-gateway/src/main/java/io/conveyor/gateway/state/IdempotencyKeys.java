package io.conveyor.gateway.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.state.StateKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;

/**
 * Idempotency keys in Redis: the first request with a key claims it (SET NX) as {@code pending}, and on the
 * broker's confirm stores its 202 body for the window (24 h). A repeat gets that body; a concurrent repeat waits
 * for the first to finish; a repeat with a different body is refused.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final String PENDING = "pending";

    private final RedisDataSource redis;
    private final Duration window;

    public IdempotencyKeys(RedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.window = config.state().idempotencyWindow();
    }

    /** What a key holds: nothing (claimed now by the caller), a pending claim, or the stored answer. */
    public record Claim(boolean ours, boolean pending, String fingerprint, String body) {}

    /** Claims the key for a request with this fingerprint, or says who holds it. */
    public Claim claim(String key, String fingerprint) {
        try {
            String value = PENDING + "|" + fingerprint + "|";
            String previous = redis.value(String.class)
                    .setGet(
                            StateKeys.idempotency(key),
                            value,
                            new SetArgs().nx().ex(window));
            return previous == null ? new Claim(true, true, fingerprint, null) : parse(previous);
        } catch (RuntimeException e) {
            throw new StateUnavailableException(e);
        }
    }

    /** The key's current holder, or null once released. */
    public Claim peek(String key) {
        try {
            String value = redis.value(String.class).get(StateKeys.idempotency(key));
            return value == null ? null : parse(value);
        } catch (RuntimeException e) {
            throw new StateUnavailableException(e);
        }
    }

    public void complete(String key, String fingerprint, String body) {
        redis.value(String.class)
                .set(StateKeys.idempotency(key), "done|" + fingerprint + "|" + body, new SetArgs().ex(window));
    }

    /** Frees a claim whose task was not accepted, so a retry with the same key can try again. */
    public void release(String key) {
        try {
            redis.key().del(StateKeys.idempotency(key));
        } catch (RuntimeException e) {
            // The claim then expires with its window; the caller already answers 503.
        }
    }

    public static String fingerprint(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String fingerprint(String text) {
        return fingerprint(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Claim parse(String value) {
        int first = value.indexOf('|');
        int second = value.indexOf('|', first + 1);
        return new Claim(
                false, value.startsWith(PENDING), value.substring(first + 1, second), value.substring(second + 1));
    }
}
