package io.conveyor.worker.handler.sleep;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.SleepPayload;
import io.conveyor.model.result.NoResult;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Sleeps for the payload's duration; interruptible, so the timeout and a forced shutdown stop it. */
@ApplicationScoped
public class SleepHandler implements TaskHandler<SleepPayload> {

    @Override
    public Class<SleepPayload> payloadType() {
        return SleepPayload.class;
    }

    @Override
    public NoResult handle(SleepPayload payload, TaskContext context) throws InterruptedException {
        Thread.sleep(payload.duration().toMillis());
        return NoResult.INSTANCE;
    }
}
