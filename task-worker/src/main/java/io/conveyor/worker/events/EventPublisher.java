package io.conveyor.worker.events;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.conveyor.amqp.EventOutbox;
import io.conveyor.model.event.OutcomeEvent;
import io.conveyor.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The app's {@link EventOutbox}: outcome events go out to {@code conveyor.events} on a connection and thread of their
 * own, and {@link #publish} never waits for it, whatever the broker does. What becomes of them is counted in
 * {@code conveyor_events_published_total} and {@code conveyor_events_dropped_total{reason}}. Created at startup, so
 * that its counters read 0 before the first event rather than not at all; it connects only when events are enabled.
 */
@Startup
@ApplicationScoped
public class EventPublisher {

    private final EventOutbox outbox;

    public EventPublisher(
            MeterRegistry registry,
            WorkerConfig config,
            EventsConfig events,
            @ConfigProperty(name = "quarkus.application.name") String appId) {
        Counter published = Counter.builder("conveyor.events.published")
                .description("Outcome events handed to the broker (sent without confirms)")
                .register(registry);
        Map<String, Counter> dropped = Map.of(
                EventOutbox.BUFFER_FULL, dropped(registry, EventOutbox.BUFFER_FULL),
                EventOutbox.SEND_FAILED, dropped(registry, EventOutbox.SEND_FAILED));
        this.outbox = new EventOutbox(config.broker().settings(appId + " events"), appId, new EventOutbox.Counts() {
            @Override
            public void published() {
                published.increment();
            }

            @Override
            public void dropped(String reason) {
                dropped.get(reason).increment();
            }
        });
        if (events.enabled()) {
            outbox.start();
        }
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("conveyor.events.dropped")
                .tag("reason", reason)
                .description("Outcome events not published: the buffer was full (broker away or slow), or the send "
                        + "failed")
                .register(registry);
    }

    /** Queues {@code event} without waiting; drops (and counts) it when it cannot be queued. Never throws. */
    public void publish(OutcomeEvent event) {
        outbox.publish(event);
    }

    /** Sends what is still queued for up to a second, then closes the events' connection. */
    @PreDestroy
    void close() {
        outbox.close();
    }
}
