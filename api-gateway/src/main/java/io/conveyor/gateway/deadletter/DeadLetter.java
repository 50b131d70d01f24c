package io.conveyor.gateway.deadletter;

import java.util.List;

import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;

/**
 * A message in {@code conveyor.dead}, as its headers tell it, with the task's recorded state and failed attempts
 * when the state store has them.
 *
 * @param reason {@code exhausted}, {@code non-retryable}, {@code poison}, {@code delivery-limit} (the worker's
 *               guard) or {@code broker-delivery-limit} (the broker's own limit fired)
 */
public record DeadLetter(
        String id,
        String type,
        String reason,
        String errorClass,
        String errorMessage,
        int attempts,
        String failedAt,
        String worker,
        TaskStatus status,
        List<TaskError> failures) {}
