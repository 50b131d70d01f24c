package io.conveyor.worker.limit;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Runs {@code probe_bounded}. */
@ApplicationScoped
public class BoundedProbeHandler implements TaskHandler<BoundedProbePayload> {

    private final LimitProbe probe;

    public BoundedProbeHandler(LimitProbe probe) {
        this.probe = probe;
    }

    @Override
    public Class<BoundedProbePayload> payloadType() {
        return BoundedProbePayload.class;
    }

    @Override
    public Object handle(BoundedProbePayload payload, TaskContext context) throws InterruptedException {
        return probe.run(
                context,
                payload.holdMillis() == null ? 0 : payload.holdMillis(),
                payload.hold() != null && payload.hold());
    }
}
