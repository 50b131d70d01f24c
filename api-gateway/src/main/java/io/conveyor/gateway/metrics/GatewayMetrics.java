package io.conveyor.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.gateway.publish.QueueFullException;
import io.conveyor.gateway.state.IdempotencyKeyInProgressException;
import io.conveyor.gateway.state.IdempotencyKeyReusedException;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.TaskCatalogue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * {@code conveyor_tasks_accepted_total{type}} and {@code conveyor_tasks_rejected_total{type,reason}}, and the
 * schedules' {@code conveyor_schedule_fired_total}, {@code _skipped_total} and {@code _failed_total}, tagged with the
 * schedule's name (a schedule is created by a client with a key, so their number is the operator's to bound). The type tag
 * is a catalogue name or {@code unknown}, never the caller's text, so a client cannot blow up the cardinality.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final TaskCatalogue catalogue;
    /** Accepted counters by type: the hot path should not look meters up in the registry on every request. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, TaskCatalogue catalogue) {
        this.registry = registry;
        this.catalogue = catalogue;
    }

    public void accepted(String type) {
        String tag = tag(type);
        counters.computeIfAbsent(tag, t -> registry.counter("conveyor.tasks.accepted", "type", t))
                .increment();
    }

    /** Counts a refused request; {@code type} is the task type it named, or null when it named none. */
    public void rejected(String type, String reason) {
        registry.counter("conveyor.tasks.rejected", "type", tag(type), "reason", reason)
                .increment();
    }

    /** Counts a submission's outcome when it completes. */
    public <T> Uni<T> count(String type, Uni<T> submission) {
        return submission.onItemOrFailure().invoke((ok, failure) -> {
            if (failure == null) {
                accepted(type);
            } else {
                rejected(type, reason(failure));
            }
        });
    }

    private String tag(String type) {
        return type != null && catalogue.find(type).isPresent() ? type : "unknown";
    }

    /** A schedule fired a tick's task ({@code conveyor_schedule_fired_total{schedule}}). */
    public void scheduleFired(String schedule) {
        registry.counter("conveyor.schedule.fired", "schedule", schedule).increment();
    }

    /** A schedule skipped a missed tick under its {@code skip} policy ({@code conveyor_schedule_skipped_total}). */
    public void scheduleSkipped(String schedule) {
        registry.counter("conveyor.schedule.skipped", "schedule", schedule).increment();
    }

    /**
     * A schedule's tick could not be fired and is tried again ({@code conveyor_schedule_failed_total{schedule,
     * reason}}): the reasons of a refused submission, or {@code invalid} (type unknown, task no longer valid).
     */
    public void scheduleFailed(String schedule, String reason) {
        registry.counter("conveyor.schedule.failed", "schedule", schedule, "reason", reason)
                .increment();
    }

    /** The rejection reason of a submission that failed after validation. */
    public static String reason(Throwable e) {
        if (e instanceof BrokerUnavailableException) {
            return "broker-unavailable";
        }
        if (e instanceof TimeoutException) {
            return "confirm-timeout";
        }
        if (e instanceof QueueFullException) {
            return "queue-full";
        }
        if (e instanceof PublishRejectedException r) {
            return r.unroutable() ? "unroutable" : "broker-refused";
        }
        if (e instanceof StateUnavailableException) {
            return "state-unavailable";
        }
        if (e instanceof IdempotencyKeyReusedException) {
            return "idempotency-key-reused";
        }
        if (e instanceof IdempotencyKeyInProgressException) {
            return "idempotency-key-in-progress";
        }
        return "internal";
    }
}
