package io.conveyor.worker.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.conveyor.worker.outcome.TaskOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The worker's meters, all prefixed {@code conveyor_}: tasks started, succeeded, failed (an attempt threw),
 * retried and dead-lettered by type; handler duration and queue latency histograms; the handlers running now
 * ({@code conveyor_tasks_in_flight}, registered by the component that counts them).
 */
@ApplicationScoped
public class WorkerMetrics {

    private final MeterRegistry registry;
    /** Meters by name and tags: looking one up in the registry on every task costs more than the task (noop). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Publishes the count of handlers running now. Not the deliveries this worker holds: those waiting for a thread
     * or for their ack are not counted.
     */
    public void gaugeRunning(AtomicInteger running) {
        Gauge.builder("conveyor.tasks.in.flight", running, AtomicInteger::get)
                .description("Handlers running now (not deliveries waiting for a thread or an ack)")
                .register(registry);
    }

    /** An attempt starts; {@code waited} is how long the message sat in its queue (now − enqueued). */
    public void started(String type, Duration waited) {
        count("conveyor.tasks.started", type);
        if (waited != null && !waited.isNegative()) {
            timers.computeIfAbsent(
                            "latency:" + type,
                            k -> Timer.builder("conveyor.queue.latency")
                                    .tag("type", type)
                                    .publishPercentileHistogram()
                                    .description("Time from enqueue to the start of an attempt")
                                    .register(registry))
                    .record(waited);
        }
    }

    /** A handler returned or threw after {@code took}. */
    public void handled(String type, boolean succeeded, Duration took) {
        String outcome = succeeded ? "success" : "failure";
        timers.computeIfAbsent(
                        "handler:" + type + ":" + outcome,
                        k -> Timer.builder("conveyor.handler.duration")
                                .tag("type", type)
                                .tag("outcome", outcome)
                                .publishPercentileHistogram()
                                .description("Handler run time")
                                .register(registry))
                .record(took);
    }

    void outcome(@Observes TaskOutcome outcome) {
        String type = outcome.type() == null ? "unknown" : outcome.type();
        switch (outcome.status()) {
            case SUCCEEDED -> count("conveyor.tasks.succeeded", type);
            case RETRY_SCHEDULED -> {
                count("conveyor.tasks.failed", type);
                count("conveyor.tasks.retried", type);
            }
            case DEAD -> {
                if (outcome.error() != null && outcome.task() != null) {
                    count("conveyor.tasks.failed", type);
                }
                count("conveyor.tasks.dead.lettered", type);
            }
            default -> {}
        }
    }

    private void count(String name, String type) {
        counters.computeIfAbsent(name + ":" + type, k -> registry.counter(name, "type", type))
                .increment();
    }
}
