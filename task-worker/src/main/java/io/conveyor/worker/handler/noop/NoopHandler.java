package io.conveyor.worker.handler.noop;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.NoopPayload;
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
    public Object handle(NoopPayload payload, TaskContext context) {
        return Map.of();
    }
}
