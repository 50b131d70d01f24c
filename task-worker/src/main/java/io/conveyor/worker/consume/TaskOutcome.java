package io.conveyor.worker.consume;

import io.conveyor.model.TaskStatus;

/**
 * Fired (synchronously, before the message is acknowledged) when an attempt ends: SUCCEEDED with the handler's
 * result, RETRY_SCHEDULED or DEAD with the error. Observers record state and metrics.
 */
public record TaskOutcome(String taskId, String type, int attempt, TaskStatus status, Object result, Throwable error) {
}
