package io.conveyor.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code GET /api/v1/tasks/{id}} answers. {@code nextAttemptAt} is set while a delayed task or a retry waits;
 * {@code client} names the API client that submitted the task (absent for a task submitted without a key).
 */
public record TaskView(
        String id,
        String type,
        TaskStatus status,
        int attempts,
        int maxAttempts,
        JsonNode result,
        TaskError lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant nextAttemptAt,
        String client) {}
