package io.conveyor.worker.retry;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.conveyor.worker.handler.NonRetryableException;

/** The one place that decides what a failed attempt leads to. Pure. */
public final class FailurePolicy {

    /** What happens to a failed attempt. */
    public enum Decision {
        RETRY,
        DEAD_NON_RETRYABLE,
        DEAD_EXHAUSTED;

        /** The {@code x-dead-reason} of a dead letter; {@code retry} for a retry. */
        public String reason() {
            return switch (this) {
                case RETRY -> "retry";
                case DEAD_NON_RETRYABLE -> "non-retryable";
                case DEAD_EXHAUSTED -> "exhausted";
            };
        }
    }

    private FailurePolicy() {}

    public static Decision decide(Throwable failure, int attempt, int maxAttempts) {
        // A cause chain may loop (a → b → a is legal): visit each throwable once, by identity.
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof NonRetryableException) {
                return Decision.DEAD_NON_RETRYABLE;
            }
        }
        return attempt >= maxAttempts ? Decision.DEAD_EXHAUSTED : Decision.RETRY;
    }
}
