package io.conveyor.gateway.events;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import io.conveyor.amqp.EventSender;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.event.EventMessages;
import io.conveyor.model.event.OutcomeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Hands outcome events to an {@link EventSender}, which publishes them to {@code conveyor.events} on a connection
 * and thread of its own, and never waits for it: {@link #publish} returns at once, whatever the broker does. At most
 * {@value #BUFFER} events wait; an event that finds the buffer full is dropped, as is one whose publish failed.
 * Drops are counted ({@code conveyor_events_dropped_total{reason}}) and reported in at most one warning a minute.
 * Best effort, at most once: README, "Events". Created at startup, so that its counters read 0 before the first
 * event rather than not at all; it connects only when events are enabled.
 */
@Startup
@ApplicationScoped
public class EventPublisher {

    /** Events waiting for the broker, at most. */
    static final int BUFFER = 2048;

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String appId;
    private final EventSender sender;
    private final Counter published;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter droppedUnreadable;
    /** Drops since the last warning, and when the next warning may be logged (System.nanoTime). */
    private final LongAdder unreported = new LongAdder();

    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    public EventPublisher(
            MeterRegistry registry,
            GatewayConfig config,
            EventsConfig events,
            @ConfigProperty(name = "quarkus.application.name") String appId) {
        this.appId = appId;
        this.published = Counter.builder("conveyor.events.published")
                .description("Outcome events handed to the broker (sent without confirms)")
                .register(registry);
        this.droppedFull = dropped(registry, "buffer-full");
        this.droppedFailed = dropped(registry, "send-failed");
        this.droppedUnreadable = dropped(registry, "task-unreadable");
        this.sender = new EventSender(config.broker().settings(appId + " events"), BUFFER, new EventSender.Listener() {
            @Override
            public void sent() {
                published.increment();
            }

            @Override
            public void dropped(String reason, Throwable cause) {
                drop("buffer-full".equals(reason) ? droppedFull : droppedFailed, cause);
            }
        });
        if (events.enabled()) {
            sender.start();
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
        try {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType(EventMessages.CONTENT_TYPE)
                    .deliveryMode(2)
                    .messageId(event.id())
                    .timestamp(Date.from(event.at()))
                    .appId(appId)
                    .build();
            sender.offer(new EventSender.Outgoing(event.routingKey(), properties, EventMessages.json(event)));
        } catch (RuntimeException e) {
            drop(droppedFailed, e);
        }
    }

    /** An event that could not be made: the cancelled task's record could not be read. */
    public void unreadable(Throwable reason) {
        drop(droppedUnreadable, reason);
    }

    /** Sends what is still queued for up to a second, then closes the events' connection. */
    @PreDestroy
    void close() {
        sender.close();
    }

    private void drop(Counter counter, Throwable reason) {
        counter.increment();
        unreported.increment();
        long now = System.nanoTime();
        long next = nextWarning.get();
        if (now - next >= 0 && nextWarning.compareAndSet(next, now + WARN_EVERY_NANOS)) {
            LOG.warnf(
                    "Dropped %d outcome event(s) in the last minute at most (%s); tasks are not affected. "
                            + "See conveyor_events_dropped_total",
                    unreported.sumThenReset(), reason.toString());
        }
    }
}
