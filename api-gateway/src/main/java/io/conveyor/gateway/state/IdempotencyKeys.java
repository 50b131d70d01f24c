package io.conveyor.gateway.state;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.Digests;
import io.conveyor.model.Json;
import io.conveyor.model.state.StateKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

/**
 * Idempotency keys in Redis: the first request with a key claims it (SET NX) as {@code pending} for a short lease
 * ({@link #pendingLease(GatewayConfig)}), and on the broker's confirm stores its 202 body for the window (24 h). A
 * repeat gets that body; a concurrent repeat waits for the first to finish; a repeat with a different request is refused. Every call is non-blocking.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final String PENDING = "pending";
    /** Slack in the pending lease beyond the longest an accept may take, for pauses (GC, a busy machine). */
    private static final Duration LEASE_SLACK = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final Duration window;
    private final Duration lease;
    private final Duration poll;

    public IdempotencyKeys(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.window = config.state().idempotencyWindow();
        this.lease = pendingLease(config);
        this.poll = config.state().idempotencyPoll();
    }

    /**
     * How long a pending claim lives unless its request completes it: longer than an accept can take (the QUEUED
     * write, the confirm, the answer's write), never the whole window. A gateway killed between claim and answer, or
     * a Redis failover that lost the answer, must not block the key for a day: after the lease a retry claims it
     * anew and submits again (a second task if the first was published: at least once, as README says).
     */
    public static Duration pendingLease(GatewayConfig config) {
        Duration lease = config.publish()
                .confirmTimeout()
                .plus(config.state().writeTimeout().multipliedBy(2))
                .plus(config.state().idempotencyWaitMargin())
                .plus(LEASE_SLACK);
        return lease.compareTo(config.state().idempotencyWindow()) < 0
                ? lease
                : config.state().idempotencyWindow();
    }

    /** What a key holds: nothing (claimed now by the caller), a pending claim, or the stored answer. */
    public record Claim(boolean ours, boolean pending, String fingerprint, String body) {}

    /** Claims a client's key (client null: a request without an API key) for a request, or says who holds it. */
    public Uni<Claim> claim(String client, String key, String fingerprint) {
        String value = PENDING + "|" + fingerprint + "|";
        return guard(redis.value(String.class)
                        .setGet(
                                StateKeys.idempotency(client, key),
                                value,
                                new SetArgs().nx().px(lease.toMillis())))
                .map(previous -> previous == null ? new Claim(true, true, fingerprint, null) : parse(previous));
    }

    /**
     * The answer stored for a key another request holds, read as {@code answer}; null once that request released the
     * key (its task was not accepted: the caller may claim it again). Waits, polling, while the holder is in flight,
     * until {@code giveUpAt}. A different request under the key fails with {@link IdempotencyKeyReusedException}, a
     * holder still in flight at {@code giveUpAt} with {@link IdempotencyKeyInProgressException}.
     */
    public <T> Uni<T> answerOf(
            Claim claim, String client, String key, String fingerprint, Instant giveUpAt, Class<T> answer) {
        if (claim == null) {
            return Uni.createFrom().nullItem();
        }
        if (!claim.fingerprint().equals(fingerprint)) {
            return Uni.createFrom().failure(new IdempotencyKeyReusedException());
        }
        if (!claim.pending()) {
            return Uni.createFrom().item(() -> read(claim.body(), answer));
        }
        if (Instant.now().isAfter(giveUpAt)) {
            return Uni.createFrom().failure(new IdempotencyKeyInProgressException());
        }
        return Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(poll)
                .flatMap(ignored -> peek(client, key))
                .flatMap(next -> answerOf(next, client, key, fingerprint, giveUpAt, answer));
    }

    private static <T> T read(String body, Class<T> answer) {
        try {
            return Json.mapper().readValue(body, answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored answer for an idempotency key", e);
        }
    }

    /** The key's current holder, or null once released. */
    public Uni<Claim> peek(String client, String key) {
        return guard(redis.value(String.class).get(StateKeys.idempotency(client, key)))
                .map(value -> value == null ? null : parse(value));
    }

    /** Stores the answer a repeat of the key's request gets for the rest of the window. */
    public Uni<Void> complete(String client, String key, String fingerprint, String body) {
        return guard(redis.value(String.class)
                .set(StateKeys.idempotency(client, key), "done|" + fingerprint + "|" + body, new SetArgs().ex(window)));
    }

    /**
     * Frees a claim whose task was not accepted, so a retry with the same key can try again. Never fails: if Redis
     * does not answer, the claim expires with its lease, and the caller answers 503 anyway.
     */
    public Uni<Void> release(String client, String key) {
        return redis.key()
                .del(StateKeys.idempotency(client, key))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    /** The SHA-256 of a request's canonical text, in hex: what "the same request" means for a key. */
    public static String fingerprint(String text) {
        return Digests.sha256(text);
    }

    private static <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure()
                .transform(e -> e instanceof StateUnavailableException ? e : new StateUnavailableException(e));
    }

    private static Claim parse(String value) {
        int first = value.indexOf('|');
        int second = value.indexOf('|', first + 1);
        return new Claim(
                false, value.startsWith(PENDING), value.substring(first + 1, second), value.substring(second + 1));
    }
}
