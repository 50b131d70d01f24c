package io.conveyor.worker.retry;

import io.conveyor.worker.handler.NonRetryableException;

/** The one place that decides what a failed attempt leads to. Pure. */
public final class FailurePolicy {

    /** What happens to a failed attempt. */
    public enum Decision {
        RETRY, DEAD_NON_RETRYABLE, DEAD_EXHAUSTED;

        /** The {@code x-dead-reason} of a dead letter. */
        public String reason() {
            return this == DEAD_NON_RETRYABLE ? "non-retryable" : "exhausted";
        }
    }

    private FailurePolicy() {
    }

    public static Decision decide(Throwable failure, int attempt, int maxAttempts) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryableException) {
                return Decision.DEAD_NON_RETRYABLE;
            }
        }
        return attempt >= maxAttempts ? Decision.DEAD_EXHAUSTED : Decision.RETRY;
    }
}
