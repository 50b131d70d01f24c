package io.conveyor.amqp;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.event.EventMessages;
import io.conveyor.model.event.OutcomeEvent;

/**
 * What both apps do with an outcome event: make its message (JSON, persistent, {@code message_id} = the event id,
 * {@code timestamp} = when it happened, {@code app_id} = the app) and hand it to an {@link EventSender}, which
 * publishes it to {@code conveyor.events} on a connection and thread of its own. {@link #publish} never waits and
 * never throws. At most {@value #BUFFER} events wait; one that finds the buffer full is dropped, as is one whose
 * publish failed. Drops are counted through {@link Counts} and reported in at most one warning a minute. Best effort,
 * at most once: README, "Events".
 */
public final class EventOutbox implements AutoCloseable {

    /** Events waiting for the broker, at most. */
    public static final int BUFFER = 2048;

    /** The reasons an event is dropped in the outbox itself. */
    public static final String BUFFER_FULL = "buffer-full";

    public static final String SEND_FAILED = "send-failed";

    private static final Logger LOG = Logger.getLogger(EventOutbox.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Where the app counts what became of its events (its metrics). */
    public interface Counts {
        void published();

        void dropped(String reason);
    }

    private final String appId;
    private final Counts counts;
    private final EventSender sender;
    /** Drops since the last warning, and when the next warning may be logged (System.nanoTime). */
    private final LongAdder unreported = new LongAdder();

    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    /** An outbox for the app {@code appId}, connecting with {@code settings} once {@link #start started}. */
    public EventOutbox(BrokerSettings settings, String appId, Counts counts) {
        this.appId = appId;
        this.counts = counts;
        this.sender = new EventSender(settings, BUFFER, new EventSender.Listener() {
            @Override
            public void sent() {
                counts.published();
            }

            @Override
            public void dropped(String reason, Throwable cause) {
                drop(BUFFER_FULL.equals(reason) ? BUFFER_FULL : SEND_FAILED, cause);
            }
        });
    }

    /** Connects and starts sending; an outbox never started drops nothing and opens no connection. */
    public void start() {
        sender.start();
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
            drop(SEND_FAILED, e);
        }
    }

    /** Counts an event not published for {@code reason}, and warns at most once a minute. */
    public void drop(String reason, Throwable cause) {
        counts.dropped(reason);
        unreported.increment();
        long now = System.nanoTime();
        long next = nextWarning.get();
        if (now - next >= 0 && nextWarning.compareAndSet(next, now + WARN_EVERY_NANOS)) {
            LOG.warnf(
                    "Dropped %d outcome event(s) in the last minute at most (%s); tasks are not affected. "
                            + "See conveyor_events_dropped_total",
                    unreported.sumThenReset(), cause.toString());
        }
    }

    /** Sends what is still queued for up to a second, then closes the events' connection. */
    @Override
    public void close() {
        sender.close();
    }
}
