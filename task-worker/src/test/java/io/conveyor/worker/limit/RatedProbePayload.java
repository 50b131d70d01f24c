package io.conveyor.worker.limit;

import io.conveyor.model.TaskDefinition;
import io.conveyor.testsupport.TestOnlyTaskType;

/** A test-only type that TaskLimitsTest limits by rate; its handler records its start ({@link LimitProbe}). */
@TestOnlyTaskType
@TaskDefinition(
        name = "probe_rated",
        example = "{}",
        description = "Test only: a handler limited by rate that records its start",
        maxAttempts = 1,
        timeout = "PT5S")
public record RatedProbePayload(Long holdMillis) {}
