package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/**
 * How far a running attempt has come, as its handler last reported it ({@code TaskContext.progress}): {@code done}
 * of {@code total} units ({@code total} null when the handler does not know it), a short message (null for none),
 * and when it was reported. Reports are throttled, so the view may lag the handler by a fraction of a second.
 */
public record TaskProgress(
        long done, Long total, String message, @NotNull Instant updatedAt) {

    /** The longest message stored: a longer one is cut. */
    public static final int MAX_MESSAGE = 200;
}
