package io.conveyor.worker.handler.throwawayecho;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import io.conveyor.model.TaskDefinition;
import io.conveyor.testsupport.TestOnlyTaskType;

/**
 * A task type declared in test sources only, exactly as a shipped one is in common-model: the Jandex index of the
 * test classes brings it into the catalogue of this module's tests, and nowhere else.
 *
 * @param text  what to echo
 * @param times how many times, 1..3 (default 1)
 */
@TestOnlyTaskType
@TaskDefinition(
        name = "throwaway_echo",
        example = "{\"text\":\"hello\",\"times\":2}",
        description = "Test only: echo a text (proves the catalogue discovers new types)",
        maxAttempts = 2,
        timeout = "PT3S")
public record ThrowawayEchoPayload(
        @NotBlank String text, @Min(1) @Max(3) Integer times) {

    public ThrowawayEchoPayload {
        times = times == null ? 1 : times;
    }
}
