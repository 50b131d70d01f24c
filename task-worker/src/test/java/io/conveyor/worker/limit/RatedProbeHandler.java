package io.conveyor.worker.limit;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Runs {@code probe_rated}. */
@ApplicationScoped
public class RatedProbeHandler implements TaskHandler<RatedProbePayload> {

    private final LimitProbe probe;

    public RatedProbeHandler(LimitProbe probe) {
        this.probe = probe;
    }

    @Override
    public Class<RatedProbePayload> payloadType() {
        return RatedProbePayload.class;
    }

    @Override
    public Object handle(RatedProbePayload payload, TaskContext context) throws InterruptedException {
        return probe.run(context, payload.holdMillis() == null ? 0 : payload.holdMillis(), false);
    }
}
