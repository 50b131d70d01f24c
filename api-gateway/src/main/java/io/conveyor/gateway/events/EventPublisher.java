package io.conveyor.gateway.events;

import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.conveyor.model.event.EventMessages;
import io.conveyor.model.event.OutcomeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Hands outcome events to the SmallRye RabbitMQ connector's {@value #CHANNEL} channel, which publishes them to
 * {@code conveyor.events} (configured in application.properties), and never waits for it: {@link #publish} returns
 * at once, whatever the broker does. At most {@value #BUFFER} events wait for the connector, and the connector holds
 * at most {@code max-inflight-messages} more while it (re)connects; an event that finds both full is dropped, as is
 * one the connector could not send. Drops are counted ({@code conveyor_events_dropped_total{reason}}) and reported
 * in at most one warning a minute. Best effort, at most once: README, "Events".
 */
@ApplicationScoped
public class EventPublisher {

    /** The outgoing channel; its connector settings are the {@code mp.messaging.outgoing.outcome-events.*} keys. */
    public static final String CHANNEL = "outcome-events";

    /** Events the emitter holds while the connector takes none. */
    static final int BUFFER = 1024;

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Inject
    @Channel(CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    Emitter<byte[]> emitter;

    private final String appId;
    private final Counter published;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter droppedUnreadable;
    /** Drops since the last warning, and when the next warning may be logged (System.nanoTime). */
    private final LongAdder unreported = new LongAdder();

    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    public EventPublisher(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String appId) {
        this.appId = appId;
        this.published = Counter.builder("conveyor.events.published")
                .description("Outcome events the broker took (sent; not confirmed)")
                .register(registry);
        this.droppedFull = dropped(registry, "buffer-full");
        this.droppedFailed = dropped(registry, "send-failed");
        this.droppedUnreadable = dropped(registry, "task-unreadable");
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("conveyor.events.dropped")
                .tag("reason", reason)
                .description("Outcome events not published: the buffer was full (broker down or slow), the send "
                        + "failed, or the cancelled task could not be read")
                .register(registry);
    }

    /** Sends {@code event} without waiting; drops (and counts) it when it cannot be sent. Never throws. */
    public void publish(OutcomeEvent event) {
        try {
            OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                    .withRoutingKey(event.routingKey())
                    .withContentType(EventMessages.CONTENT_TYPE)
                    .withDeliveryMode(2)
                    .withMessageId(event.id())
                    .withTimestamp(event.at().atZone(ZoneOffset.UTC))
                    .withAppId(appId)
                    .build();
            emitter.send(Message.of(EventMessages.json(event), Metadata.of(metadata), this::sent, this::failed));
        } catch (RuntimeException e) {
            // The emitter refuses when its buffer is full (IllegalStateException): the broker is down or slower
            // than the tasks; or the channel is gone (shutting down).
            drop(droppedFull, e);
        }
    }

    /** An event that could not be made: the cancelled task's record could not be read. */
    public void unreadable(Throwable reason) {
        drop(droppedUnreadable, reason);
    }

    private CompletionStage<Void> sent() {
        published.increment();
        return DONE;
    }

    private CompletionStage<Void> failed(Throwable reason) {
        drop(droppedFailed, reason);
        return DONE;
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
