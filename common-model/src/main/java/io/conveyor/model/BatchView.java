package io.conveyor.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

/**
 * What {@code GET /api/v1/batches/{id}} answers.
 *
 * @param id                  the batch's id
 * @param size                how many tasks it holds
 * @param remaining           how many have not reached a terminal state yet
 * @param done                true once every task is terminal (SUCCEEDED, DEAD or CANCELLED)
 * @param counts              the tasks by current status; a task whose record expired counts as {@code EXPIRED}
 * @param taskIds             the tasks' ids, in the order they were submitted
 * @param createdAt           when the gateway accepted the batch
 * @param client              the API client that submitted it, null without a key
 * @param onCompleteTaskId    the id of the task submitted when the batch is done, null without one
 * @param onCompletePublished true once that task was published (it then runs as any task)
 */
public record BatchView(
        @NotNull String id,
        int size,
        int remaining,
        boolean done,
        @NotNull Map<String, Integer> counts,
        @NotNull List<String> taskIds,
        @NotNull Instant createdAt,
        String client,
        String onCompleteTaskId,
        boolean onCompletePublished) {}
