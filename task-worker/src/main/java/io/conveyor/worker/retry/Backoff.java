package io.conveyor.worker.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import io.conveyor.model.Delays;

/** {@code delay(attempt) = min(cap, base · 2^(attempt−1))} with full jitter, rounded up to a retry tier. Pure. */
public final class Backoff {

    private final Duration base;
    private final Duration cap;

    public Backoff(Duration base, Duration cap) {
        if (base.toMillis() < 1 || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("Backoff needs 1ms <= base <= cap, got base " + base + ", cap " + cap);
        }
        this.base = base;
        this.cap = cap;
    }

    /** The exponential ceiling for a failed attempt (1-based), before jitter. */
    public Duration ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt, 1) - 1, 40);
        double millis = base.toMillis() * Math.pow(2, shift);
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    /** The jittered delay, uniform in [0, ceiling], drawn from {@code random} in [0, 1). */
    public Duration jittered(int attempt, DoubleSupplier random) {
        return Duration.ofMillis((long) (ceiling(attempt).toMillis() * random.getAsDouble()));
    }

    /** The retry tier the failed attempt waits in. */
    public Duration tier(int attempt, DoubleSupplier random) {
        return Delays.roundUpToTier(jittered(attempt, random));
    }
}
