package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/**
 * One failed attempt: what was thrown, by which worker, when it failed ({@code at}) and when it had started ({@code
 * startedAt}; null where the start is not known: an attempt that never ran, or one recorded before this field).
 */
public record TaskError(
        @NotNull String type, String message, int attempt, Instant at, String worker, Instant startedAt) {}
