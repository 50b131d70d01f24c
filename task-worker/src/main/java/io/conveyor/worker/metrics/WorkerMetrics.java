package io.conveyor.worker.metrics;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.conveyor.worker.consume.TaskOutcome;
import io.conveyor.worker.consume.TaskProcessor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The worker's meters, all prefixed {@code conveyor_}: tasks started, succeeded, failed (an attempt threw),
 * retried and dead-lettered by type; handler duration and queue latency histograms; handlers in flight.
 */
@ApplicationScoped
public class WorkerMetrics {

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry, TaskProcessor processor) {
        this.registry = registry;
        Gauge.builder("conveyor.tasks.in.flight", processor, TaskProcessor::running)
                .description("Handlers running now").register(registry);
    }

    /** An attempt starts; {@code waited} is how long the message sat in its queue (now − enqueued). */
    public void started(String type, Duration waited) {
        registry.counter("conveyor.tasks.started", "type", type).increment();
        if (waited != null && !waited.isNegative()) {
            Timer.builder("conveyor.queue.latency").tag("type", type).publishPercentileHistogram()
                    .description("Time from enqueue to the start of an attempt").register(registry).record(waited);
        }
    }

    /** A handler returned or threw after {@code took}. */
    public void handled(String type, boolean succeeded, Duration took) {
        Timer.builder("conveyor.handler.duration").tag("type", type).tag("outcome", succeeded ? "success" : "failure")
                .publishPercentileHistogram().description("Handler run time").register(registry).record(took);
    }

    void outcome(@Observes TaskOutcome outcome) {
        String type = outcome.type() == null ? "unknown" : outcome.type();
        switch (outcome.status()) {
            case SUCCEEDED -> registry.counter("conveyor.tasks.succeeded", "type", type).increment();
            case RETRY_SCHEDULED -> {
                registry.counter("conveyor.tasks.failed", "type", type).increment();
                registry.counter("conveyor.tasks.retried", "type", type).increment();
            }
            case DEAD -> {
                if (outcome.error() != null && outcome.task() != null) {
                    registry.counter("conveyor.tasks.failed", "type", type).increment();
                }
                registry.counter("conveyor.tasks.dead.lettered", "type", type).increment();
            }
            default -> {
            }
        }
    }
}
