package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/** The 202 body: the task was confirmed by the broker and will run. Poll {@code Location} for its state. */
public record TaskAccepted(
        @NotNull String id,
        @NotNull String type,
        @NotNull TaskStatus status,
        @NotNull Instant createdAt) {}
