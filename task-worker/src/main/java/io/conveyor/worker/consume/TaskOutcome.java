package io.conveyor.worker.consume;

import java.time.Instant;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;

/**
 * Fired when an attempt ends, once its state is written to Redis (or the write given up) and before the message is
 * acknowledged: SUCCEEDED with the handler's result, RETRY_SCHEDULED (with when the next attempt is due) or DEAD with
 * the error. Observers run synchronously, for a success on the thread that got Redis's answer: they must not block.
 * {@code task} is null for a poison message that is not a task envelope.
 */
public record TaskOutcome(
        String taskId,
        String type,
        int attempt,
        TaskStatus status,
        Object result,
        Throwable error,
        Instant nextAttemptAt,
        TaskEnvelope task) {}
