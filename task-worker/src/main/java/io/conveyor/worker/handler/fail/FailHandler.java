package io.conveyor.worker.handler.fail;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.FailPayload;
import io.conveyor.model.result.NoResult;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Fails on purpose: permanently, or for the first {@code times} attempts. */
@ApplicationScoped
public class FailHandler implements TaskHandler<FailPayload> {

    @Override
    public Class<FailPayload> payloadType() {
        return FailPayload.class;
    }

    @Override
    public NoResult handle(FailPayload payload, TaskContext context) {
        if (payload.permanent()) {
            throw new NonRetryableException("fail task asked for a permanent failure");
        }
        if (context.attempt() <= payload.times()) {
            throw new IllegalStateException(
                    "fail task failing attempt " + context.attempt() + " of the first " + payload.times());
        }
        return NoResult.INSTANCE;
    }
}
