package io.conveyor.model.payload;

import io.conveyor.model.TaskDefinition;

/** Does nothing: for benchmarks and smoke tests. */
@TaskDefinition(
        name = "noop",
        description = "Do nothing (benchmarks, smoke tests)",
        maxAttempts = 3,
        timeout = "PT5S",
        diagnostic = true)
public record NoopPayload() {}
