package io.conveyor.gateway.events;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.conveyor.amqp.EventOutbox;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.event.OutcomeEvent;
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

    /** The reason an event is dropped when the cancelled task's record could not be read. */
    static final String TASK_UNREADABLE = "task-unreadable";

    private final EventOutbox outbox;

    public EventPublisher(
            MeterRegistry registry,
            GatewayConfig config,
            EventsConfig events,
            @ConfigProperty(name = "quarkus.application.name") String appId) {
        Counter published = Counter.builder("conveyor.events.published")
                .description("Outcome events handed to the broker (sent without confirms)")
                .register(registry);
        Map<String, Counter> dropped = Map.of(
                EventOutbox.BUFFER_FULL,
                dropped(registry, EventOutbox.BUFFER_FULL),
                EventOutbox.SEND_FAILED,
                dropped(registry, EventOutbox.SEND_FAILED),
                TASK_UNREADABLE,
                dropped(registry, TASK_UNREADABLE));
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
                .description("Outcome events not published: the buffer was full (broker away or slow), the send "
                        + "failed, or the cancelled task could not be read")
                .register(registry);
    }

    /** Queues {@code event} without waiting; drops (and counts) it when it cannot be queued. Never throws. */
    public void publish(OutcomeEvent event) {
        outbox.publish(event);
    }

    /** An event that could not be made: the cancelled task's record could not be read. */
    public void unreadable(Throwable reason) {
        outbox.drop(TASK_UNREADABLE, reason);
    }

    /** Sends what is still queued for up to a second, then closes the events' connection. */
    @PreDestroy
    void close() {
        outbox.close();
    }
}
