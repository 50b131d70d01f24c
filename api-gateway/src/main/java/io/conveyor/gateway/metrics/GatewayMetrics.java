package io.conveyor.gateway.metrics;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.gateway.rest.ProblemException;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.TaskCatalogue;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code conveyor_tasks_accepted_total{type}} and {@code conveyor_tasks_rejected_total{type,reason}}. The type tag
 * is a catalogue name or {@code unknown}, never the caller's text, so a client cannot blow up the cardinality.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final TaskCatalogue catalogue;
    /** Accepted counters by type: the hot path should not look meters up in the registry on every request. */
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, TaskCatalogue catalogue) {
        this.registry = registry;
        this.catalogue = catalogue;
    }

    public void accepted(String type) {
        String tag = tag(type);
        counters.computeIfAbsent(tag, t -> registry.counter("conveyor.tasks.accepted", "type", t))
                .increment();
    }

    public void rejected(String type, Throwable why) {
        registry.counter("conveyor.tasks.rejected", "type", tag(type), "reason", reason(why))
                .increment();
    }

    /** Runs a submission and counts its outcome, whether it fails at once or when its stage completes. */
    public <T> CompletionStage<T> count(String type, Supplier<CompletionStage<T>> submission) {
        CompletionStage<T> stage;
        try {
            stage = submission.get();
        } catch (RuntimeException e) {
            rejected(type, e);
            throw e;
        }
        return stage.whenComplete((ok, failure) -> {
            if (failure == null) {
                accepted(type);
            } else {
                rejected(type, failure);
            }
        });
    }

    private String tag(String type) {
        return type != null && catalogue.find(type).isPresent() ? type : "unknown";
    }

    /** The rejection reason, from the exception that ended the request. */
    static String reason(Throwable why) {
        Throwable e = why instanceof CompletionException && why.getCause() != null ? why.getCause() : why;
        if (e instanceof ProblemException p) {
            String type = p.problem().type();
            return type.substring(type.lastIndexOf(':') + 1);
        }
        if (e instanceof BrokerUnavailableException) {
            return "broker-unavailable";
        }
        if (e instanceof TimeoutException) {
            return "confirm-timeout";
        }
        if (e instanceof PublishRejectedException r) {
            return r.unroutable() ? "unroutable" : "broker-refused";
        }
        if (e instanceof StateUnavailableException) {
            return "state-unavailable";
        }
        return "internal";
    }
}
