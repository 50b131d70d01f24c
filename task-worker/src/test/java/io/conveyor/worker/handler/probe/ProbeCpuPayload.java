package io.conveyor.worker.handler.probe;

import io.conveyor.model.TaskDefinition;
import io.conveyor.testsupport.TestOnlyTaskType;

/**
 * A test-only type whose handler declares itself CPU-bound and reports the thread it ran on ({@link ThreadProbe}).
 *
 * @param hold wait until the probe's gate opens
 */
@TestOnlyTaskType
@TaskDefinition(
        name = "probe_cpu",
        example = "{\"hold\":false}",
        description = "Test only: a CPU-bound handler that reports its thread",
        maxAttempts = 1,
        timeout = "PT5S")
public record ProbeCpuPayload(Boolean hold) {

    public ProbeCpuPayload {
        hold = hold != null && hold;
    }
}
