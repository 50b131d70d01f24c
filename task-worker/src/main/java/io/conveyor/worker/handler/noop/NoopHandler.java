package io.conveyor.worker.handler.noop;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.result.NoResult;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Does nothing, successfully. */
@ApplicationScoped
public class NoopHandler implements TaskHandler<NoopPayload> {

    @Override
    public Class<NoopPayload> payloadType() {
        return NoopPayload.class;
    }

    @Override
    public NoResult handle(NoopPayload payload, TaskContext context) {
        return NoResult.INSTANCE;
    }
}
