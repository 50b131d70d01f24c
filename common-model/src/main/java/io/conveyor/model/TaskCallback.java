package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/**
 * The signed webhook of a task sent with {@code options.callbackUrl}: where it goes and how its delivery went.
 *
 * @param url       where the outcome event is POSTed
 * @param status    PENDING until delivered (the task has not ended, or a delivery is being retried), DELIVERED once
 *                  the receiver answered 2xx, FAILED when every attempt failed
 * @param attempts  delivery attempts made so far
 * @param lastError why the last attempt failed (HTTP status or connection error); null when none failed
 * @param updatedAt when the last attempt was made; null before the first
 */
public record TaskCallback(
        @NotNull String url, @NotNull Status status, int attempts, String lastError, Instant updatedAt) {

    /** Where a callback's delivery stands. */
    public enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }
}
