package io.conveyor.model;

import java.time.Instant;

/** The 202 body: the task was confirmed by the broker and will run. Poll {@code Location} for its state. */
public record TaskAccepted(String id, String type, TaskStatus status, Instant createdAt) {}
