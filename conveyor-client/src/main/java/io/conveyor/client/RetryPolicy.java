package io.conveyor.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long a call is retried after a 429, a 503 or, where that is safe, a failed connection. A retry
 * waits what the answer's {@code Retry-After} asks for; without one it backs off exponentially from
 * {@code initialBackoff} up to {@code maxBackoff}, with jitter. A call gives up after {@code maxAttempts} attempts, or
 * as soon as the next wait would take the waits together past {@code maxTotalWait}.
 *
 * @param maxAttempts    attempts in all, the first included (1: no retry)
 * @param maxTotalWait   the most one call waits between its attempts, all waits together
 * @param initialBackoff the first wait when the answer gives no {@code Retry-After}
 * @param maxBackoff     the longest such wait
 */
public record RetryPolicy(int maxAttempts, Duration maxTotalWait, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(maxTotalWait, "maxTotalWait");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxTotalWait.isNegative() || initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("durations of a retry policy must not be negative");
        }
    }

    /** 5 attempts, waiting at most 30 s in all, backing off from 200 ms to 5 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** One attempt: every 429 and 503 reaches the caller at once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, maxTotalWait, initialBackoff, maxBackoff);
    }

    public RetryPolicy withMaxTotalWait(Duration wait) {
        return new RetryPolicy(maxAttempts, wait, initialBackoff, maxBackoff);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, maxTotalWait, initial, max);
    }

    /** The wait after failed attempt {@code attempt} (1-based) when the answer named none: half fixed, half random. */
    Duration backoff(int attempt) {
        long cap = maxBackoff.toMillis();
        long base = Math.min(cap, initialBackoff.toMillis() << Math.min(attempt - 1, 30));
        long half = base / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }
}
