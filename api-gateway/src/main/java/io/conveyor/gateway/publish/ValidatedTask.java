package io.conveyor.gateway.publish;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.TaskType;

/** A request that passed every check: its payload matches the type's record, its options are in range. */
public record ValidatedTask(
        TaskType type,
        JsonNode payload,
        int maxAttempts,
        Duration delay,
        Integer priority,
        String traceparent,
        String idempotencyKey) {}
