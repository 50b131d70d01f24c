package io.conveyor.worker.handler.probe;

import io.conveyor.model.TaskDefinition;
import io.conveyor.testsupport.TestOnlyTaskType;

/**
 * A test-only type whose handler declares itself blocking and reports the thread it ran on ({@link ThreadProbe}).
 *
 * @param hold    wait until the probe's gate opens
 * @param forever wait until interrupted (the timeout, a forced shutdown), whatever the gate
 */
@TestOnlyTaskType
@TaskDefinition(
        name = "probe_blocking",
        example = "{\"hold\":false}",
        description = "Test only: a blocking handler that reports its thread",
        maxAttempts = 1,
        timeout = "PT5S")
public record ProbeBlockingPayload(Boolean hold, Boolean forever) {

    public ProbeBlockingPayload {
        hold = hold != null && hold;
        forever = forever != null && forever;
    }
}
