package io.conveyor.worker.outcome;

import java.time.Instant;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;

/**
 * Fired when an attempt ends, once its state is written to Redis (or the write given up) and before the message is
 * acknowledged: SUCCEEDED with the handler's result, RETRY_SCHEDULED (with when the next attempt is due) or DEAD with
 * the error. Observers run synchronously, for a success on the thread that got Redis's answer: they must not block.
 * {@code task} is null for a poison message that is not a task envelope. {@code startedAt} is when the failed attempt
 * started (recorded with its error); null for a success and for a message dead-lettered without running.
 */
public record TaskOutcome(
        String taskId,
        String type,
        int attempt,
        TaskStatus status,
        Object result,
        Throwable error,
        Instant nextAttemptAt,
        TaskEnvelope task,
        Instant startedAt) {

    /** The handler returned {@code result} (which may be null). */
    public static TaskOutcome succeeded(TaskEnvelope task, int attempt, Object result) {
        return new TaskOutcome(task.id(), task.type(), attempt, TaskStatus.SUCCEEDED, result, null, null, task, null);
    }

    /** The attempt started at {@code startedAt} failed with {@code error}; the next one is due at {@code nextAttemptAt}. */
    public static TaskOutcome retryScheduled(
            TaskEnvelope task, int attempt, Throwable error, Instant nextAttemptAt, Instant startedAt) {
        return new TaskOutcome(
                task.id(),
                task.type(),
                attempt,
                TaskStatus.RETRY_SCHEDULED,
                null,
                error,
                nextAttemptAt,
                task,
                startedAt);
    }

    /**
     * The task was dead-lettered after this attempt, because of {@code error}; {@code startedAt} is null when the
     * attempt never ran (a crash loop).
     */
    public static TaskOutcome dead(TaskEnvelope task, int attempt, Throwable error, Instant startedAt) {
        return new TaskOutcome(task.id(), task.type(), attempt, TaskStatus.DEAD, null, error, null, task, startedAt);
    }

    /**
     * A message no handler can run was dead-lettered. There may be no task envelope to read: the id is the message's
     * and the type the best guess from its headers or routing key.
     */
    public static TaskOutcome poison(String messageId, String typeHint, int attempt, Throwable error) {
        return new TaskOutcome(messageId, typeHint, attempt, TaskStatus.DEAD, null, error, null, null, null);
    }
}
