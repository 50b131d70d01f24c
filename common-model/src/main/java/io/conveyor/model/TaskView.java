package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code GET /api/v1/tasks/{id}} answers. {@code nextAttemptAt} is set while a delayed task or a retry waits;
 * {@code client} names the API client that submitted the task (null for a task submitted without a key);
 * {@code artifactUrl} is where the file its result names ({@code result.artifact}) is downloaded, null when it names
 * none; {@code batch} is the batch the task belongs to, or, for a batch's onComplete task, the batch it completes
 * (null for a task of no batch); {@code progress} is what the running (or last) attempt reported of its progress,
 * null until it reports some (cleared when a new attempt starts); {@code schedule} names the recurring schedule that
 * fired the task (null for a task a producer sent); {@code callback} is where and how its signed webhook goes (null
 * for a task without {@code options.callbackUrl}); {@code waiting} says why a QUEUED task that is due waits (a rate
 * or concurrency limit of its type; null otherwise). Empty fields are sent as JSON null.
 */
public record TaskView(
        @NotNull String id,
        @NotNull String type,
        @NotNull TaskStatus status,
        int attempts,
        int maxAttempts,
        JsonNode result,
        TaskError lastError,
        @NotNull Instant createdAt,
        @NotNull Instant updatedAt,
        Instant nextAttemptAt,
        String client,
        String artifactUrl,
        String batch,
        TaskProgress progress,
        String schedule,
        TaskCallback callback,
        TaskWaiting waiting) {

    /**
     * The result read as its type's result record ({@code view.resultAs(EmailSent.class)}: the record the type's
     * {@code @TaskDefinition(result = ...)} names), or null while the task has none.
     *
     * @throws IllegalArgumentException when the result does not have that record's shape
     */
    public <R> R resultAs(Class<R> type) {
        if (result == null || result.isNull()) {
            return null;
        }
        try {
            return Json.mapper().treeToValue(result, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "The result of task " + id + " (" + this.type + ") does not read as " + type.getSimpleName(), e);
        }
    }
}
