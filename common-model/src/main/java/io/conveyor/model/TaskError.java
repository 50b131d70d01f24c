package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/** One failed attempt: what was thrown, by which worker, when. */
public record TaskError(@NotNull String type, String message, int attempt, Instant at, String worker) {}
