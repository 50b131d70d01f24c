package io.conveyor.model;

import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * The 202 body of {@code POST /api/v1/batches}: every task was recorded and confirmed by the broker. Poll
 * {@code Location} ({@code /api/v1/batches/{id}}) for the batch's progress.
 *
 * @param id      the batch's id
 * @param size    how many tasks it holds
 * @param taskIds the tasks' ids, in the order they were submitted
 */
public record BatchAccepted(
        @NotNull String id, int size, @NotNull List<String> taskIds) {}
