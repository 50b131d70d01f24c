package io.conveyor.client;

import java.time.Duration;

/**
 * Per-submit options; every field is optional ({@code null}: the type's default). Unless told otherwise the client
 * generates an idempotency key per submit call, a random UUID that each retry of that call sends again, so a retried
 * submit never makes two tasks.
 *
 * @param maxAttempts         attempts before the task is dead-lettered (1..25)
 * @param delay               run the task not before now + delay (at most P7D)
 * @param priority            0..9, the broker's message priority
 * @param idempotencyKey      the caller's own key (1..200 characters), sent as {@code Idempotency-Key}
 * @param generateKey         whether to generate a key when {@code idempotencyKey} is null
 * @param callbackUrl         where the task's outcome is POSTed, signed, once it ends (the gateway's README,
 *                            "Webhooks"); the client needs a webhook secret
 */
public record SubmitOptions(
        Integer maxAttempts,
        Duration delay,
        Integer priority,
        String idempotencyKey,
        boolean generateKey,
        String callbackUrl) {

    private static final SubmitOptions DEFAULTS = new SubmitOptions(null, null, null, null, true, null);

    /** Options without a callback URL. */
    public SubmitOptions(
            Integer maxAttempts, Duration delay, Integer priority, String idempotencyKey, boolean generateKey) {
        this(maxAttempts, delay, priority, idempotencyKey, generateKey, null);
    }

    /** The type's defaults, a generated idempotency key. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    public SubmitOptions withMaxAttempts(int attempts) {
        return new SubmitOptions(attempts, delay, priority, idempotencyKey, generateKey, callbackUrl);
    }

    public SubmitOptions withDelay(Duration notBefore) {
        return new SubmitOptions(maxAttempts, notBefore, priority, idempotencyKey, generateKey, callbackUrl);
    }

    public SubmitOptions withPriority(int value) {
        return new SubmitOptions(maxAttempts, delay, value, idempotencyKey, generateKey, callbackUrl);
    }

    /** The caller's own key: the same key within the gateway's window (24 h) answers the first task again. */
    public SubmitOptions withIdempotencyKey(String key) {
        return new SubmitOptions(maxAttempts, delay, priority, key, generateKey, callbackUrl);
    }

    /**
     * No key at all: the gateway makes a task per request, so the client then retries a submit only after a 429
     * (nothing was done), never after a 503 or a lost connection, which might have left a task behind.
     */
    public SubmitOptions withoutIdempotencyKey() {
        return new SubmitOptions(maxAttempts, delay, priority, null, false, callbackUrl);
    }

    /** POST the task's outcome event, signed, to {@code url} once it ends (an https URI). */
    public SubmitOptions withCallbackUrl(String url) {
        return new SubmitOptions(maxAttempts, delay, priority, idempotencyKey, generateKey, url);
    }
}
