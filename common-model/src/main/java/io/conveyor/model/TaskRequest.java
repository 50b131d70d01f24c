package io.conveyor.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/tasks}: a type name, its payload (checked against the type's record) and options.
 */
public record TaskRequest(String type, JsonNode payload, TaskOptions options) {}
