package io.conveyor.gateway;

import io.conveyor.model.TaskDefinition;
import io.conveyor.testsupport.TestOnlyTaskType;

/**
 * A task type declared in test sources only, whose queue {@link QueueLimitTest} bounds to a few messages: no shipped
 * type's queue is ever filled, and no worker consumes this one.
 */
@TestOnlyTaskType
@TaskDefinition(
        name = "throwaway_bounded",
        description = "Test only: a type whose queue is kept tiny (proves queue limits)",
        maxAttempts = 1,
        timeout = "PT1S")
public record ThrowawayBoundedPayload() {}
