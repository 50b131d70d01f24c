package io.conveyor.gateway;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.validation.MaxDuration;
import io.conveyor.testsupport.TestOnlyTaskType;

/**
 * A task type declared in test sources only, exactly as a shipped one is in common-model: the Jandex index of the
 * test classes brings it into the catalogue of this module's tests, and nowhere else. One field of each supported
 * kind, so its schema shows each mapping.
 */
@TestOnlyTaskType
@TaskDefinition(
        name = "throwaway_greeting",
        example = "{\"name\":\"Ada\",\"times\":2,\"loud\":true,\"tags\":[\"friendly\"],\"pause\":\"PT1S\"}",
        description = "Test only: greet someone (proves the catalogue discovers new types)",
        maxAttempts = 2,
        timeout = "PT3S")
public record ThrowawayGreetingPayload(
        @NotBlank @Size(max = 50) String name,
        @Min(1) @Max(3) Integer times,
        Boolean loud,
        @Size(max = 5) List<@NotBlank String> tags,
        @MaxDuration("PT5S") Duration pause) {}
