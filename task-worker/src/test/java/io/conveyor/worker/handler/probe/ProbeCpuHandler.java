package io.conveyor.worker.handler.probe;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.handler.Workload;

/** Runs {@code probe_cpu}: declares itself CPU-bound, as the image handler does. */
@ApplicationScoped
public class ProbeCpuHandler implements TaskHandler<ProbeCpuPayload> {

    private final ThreadProbe probe;

    public ProbeCpuHandler(ThreadProbe probe) {
        this.probe = probe;
    }

    @Override
    public Class<ProbeCpuPayload> payloadType() {
        return ProbeCpuPayload.class;
    }

    @Override
    public Workload workload() {
        return Workload.CPU_BOUND;
    }

    @Override
    public Object handle(ProbeCpuPayload payload, TaskContext context) throws InterruptedException {
        return probe.run(context, payload.hold(), false);
    }
}
