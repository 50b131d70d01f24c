package io.conveyor.client;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code GET /api/v1/task-types}: a task type of the gateway's catalogue, with its queue, the defaults
 * a task of it gets and its payload's JSON schema.
 */
public record TaskTypeInfo(String name, String description, String queue, Defaults defaults, JsonNode payloadSchema) {

    /** What a task of this type gets unless its options say otherwise. */
    public record Defaults(int maxAttempts, Duration timeout) {}
}
