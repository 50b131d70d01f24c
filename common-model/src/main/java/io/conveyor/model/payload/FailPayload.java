package io.conveyor.model.payload;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.conveyor.model.TaskDefinition;

/**
 * Fails on purpose: for retry and dead-letter tests.
 *
 * @param times     fail the first {@code times} attempts, then succeed
 * @param permanent fail with a non-retryable error (straight to dead letters)
 */
@TaskDefinition(
        name = "fail",
        example = "{\"times\":2}",
        description = "Fail the first N attempts, or permanently (retry tests)",
        maxAttempts = 3,
        timeout = "PT5S",
        diagnostic = true)
public record FailPayload(@Min(0) @Max(100) Integer times, Boolean permanent) {

    public FailPayload {
        times = times == null ? 0 : times;
        permanent = permanent != null && permanent;
    }
}
