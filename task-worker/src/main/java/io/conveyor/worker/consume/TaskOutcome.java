package io.conveyor.worker.consume;

import java.time.Instant;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;

/**
 * Fired (synchronously, before the message is acknowledged) when an attempt ends: SUCCEEDED with the handler's
 * result, RETRY_SCHEDULED (with when the next attempt is due) or DEAD with the error. Observers record state and
 * metrics. {@code task} is null for a poison message that is not a task envelope.
 */
public record TaskOutcome(String taskId, String type, int attempt, TaskStatus status, Object result, Throwable error,
                          Instant nextAttemptAt, TaskEnvelope task) {
}
