package io.conveyor.model;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import io.conveyor.model.validation.MaxDuration;

/**
 * Per-request options of {@code POST /api/v1/tasks}. Every field is optional.
 *
 * @param maxAttempts    attempts before dead-lettering; default from the type
 * @param delay          run the task not before now + delay
 * @param priority       0..9, passed to the broker as the message priority
 * @param idempotencyKey same as the {@code Idempotency-Key} header
 * @param callbackUrl    where the task's outcome event is POSTed, signed, when it ends (README, "Webhooks"); the
 *                       gateway checks the URL and that the client has a webhook secret
 */
public record TaskOptions(
        @Min(1) @Max(TaskType.MAX_ATTEMPTS_LIMIT) Integer maxAttempts,
        @MaxDuration("P7D") Duration delay,
        @Min(0) @Max(9) Integer priority,
        @Size(min = 1, max = 200) String idempotencyKey,
        @Size(min = 1, max = MAX_CALLBACK_URL) String callbackUrl) {

    /** The longest {@code callbackUrl}, in characters. */
    public static final int MAX_CALLBACK_URL = 2000;

    public static final TaskOptions NONE = new TaskOptions(null, null, null, null, null);

    /** Options without a callback. */
    public TaskOptions(Integer maxAttempts, Duration delay, Integer priority, String idempotencyKey) {
        this(maxAttempts, delay, priority, idempotencyKey, null);
    }
}
