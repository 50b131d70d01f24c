package io.conveyor.worker.limit;

import io.conveyor.model.TaskDefinition;
import io.conveyor.testsupport.TestOnlyTaskType;

/**
 * A test-only type that TaskLimitsTest limits to a few running at once; its handler records its start and holds
 * {@code holdMillis}, or until the probe's gate opens ({@code hold}).
 */
@TestOnlyTaskType
@TaskDefinition(
        name = "probe_bounded",
        example = "{}",
        description = "Test only: a handler limited to a few running at once",
        maxAttempts = 1,
        timeout = "PT20S")
public record BoundedProbePayload(Long holdMillis, Boolean hold) {}
