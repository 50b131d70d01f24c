package io.conveyor.model;

import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * A message in {@code conveyor.dead}, as its headers tell it, with the task's recorded state and failed attempts
 * when the state store has them.
 *
 * @param id     the AMQP {@code message_id} (the task id); for a message without one, {@code sha256-} and the hex
 *               digest of its body
 * @param reason {@code exhausted}, {@code non-retryable}, {@code poison}, {@code delivery-limit} (the worker's
 *               guard) or {@code broker-delivery-limit} (the broker's own limit fired)
 * @param status the recorded state; DEAD when the store has no record of it (a message that never was a task, a
 *               record past its retention, or the store unreachable)
 */
public record DeadLetter(
        @NotNull String id,
        String type,
        String reason,
        String errorClass,
        String errorMessage,
        int attempts,
        String failedAt,
        String worker,
        @NotNull TaskStatus status,
        @NotNull List<TaskError> failures) {

    /** This dead letter with the state the store recorded; a missing status reads DEAD. */
    public DeadLetter withState(TaskStatus recorded, List<TaskError> recordedFailures) {
        return new DeadLetter(
                id,
                type,
                reason,
                errorClass,
                errorMessage,
                attempts,
                failedAt,
                worker,
                recorded == null ? TaskStatus.DEAD : recorded,
                recordedFailures == null ? List.of() : recordedFailures);
    }
}
