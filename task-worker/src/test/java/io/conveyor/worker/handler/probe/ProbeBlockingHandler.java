package io.conveyor.worker.handler.probe;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/** Runs {@code probe_blocking}: declares nothing, so it is a blocking handler. */
@ApplicationScoped
public class ProbeBlockingHandler implements TaskHandler<ProbeBlockingPayload> {

    private final ThreadProbe probe;

    public ProbeBlockingHandler(ThreadProbe probe) {
        this.probe = probe;
    }

    @Override
    public Class<ProbeBlockingPayload> payloadType() {
        return ProbeBlockingPayload.class;
    }

    @Override
    public Object handle(ProbeBlockingPayload payload, TaskContext context) throws InterruptedException {
        return probe.run(context, payload.hold(), payload.forever());
    }
}
