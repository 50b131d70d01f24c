package io.conveyor.gateway.publish;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskType;
import io.conveyor.model.state.KeptOptions;

/**
 * A request that passed every check: its payload matches the type's record, its options are in range. {@code client}
 * is the API client submitting it (its owner), null without a key; {@code callbackUrl} where its outcome is POSTed
 * (README, "Webhooks"), null for none.
 */
public record ValidatedTask(
        TaskType type,
        JsonNode payload,
        int maxAttempts,
        Duration delay,
        Integer priority,
        String traceparent,
        String idempotencyKey,
        String client,
        String callbackUrl) {

    /** A task without a callback URL. */
    public ValidatedTask(
            TaskType type,
            JsonNode payload,
            int maxAttempts,
            Duration delay,
            Integer priority,
            String traceparent,
            String idempotencyKey,
            String client) {
        this(type, payload, maxAttempts, delay, priority, traceparent, idempotencyKey, client, null);
    }

    /**
     * The options this task runs with, for its record: as submitted, with max attempts resolved (the request's or
     * the type's default), the idempotency key from the option or the header, and the trace id of its request.
     */
    public KeptOptions options() {
        return KeptOptions.of(new TaskOptions(maxAttempts, delay, priority, idempotencyKey), traceparent);
    }

    /** The same task, submitted by {@code owner}. */
    public ValidatedTask ownedBy(String owner) {
        return new ValidatedTask(
                type, payload, maxAttempts, delay, priority, traceparent, idempotencyKey, owner, callbackUrl);
    }
}
