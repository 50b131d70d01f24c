package io.conveyor.gateway.publish;

import java.util.List;

/**
 * A batch that passed every check: its tasks (each validated as {@code POST /api/v1/tasks} validates one), the
 * optional task to submit once they are all terminal, the batch's idempotency key and its owner (null without a key).
 */
public record BatchRequest(List<ValidatedTask> tasks, ValidatedTask onComplete, String idempotencyKey, String client) {

    public BatchRequest {
        tasks = List.copyOf(tasks);
    }

    /** The same batch, submitted by {@code owner}: its tasks and onComplete task are owned by it too. */
    public BatchRequest ownedBy(String owner) {
        return new BatchRequest(
                tasks.stream().map(t -> t.ownedBy(owner)).toList(),
                onComplete == null ? null : onComplete.ownedBy(owner),
                idempotencyKey,
                owner);
    }
}
