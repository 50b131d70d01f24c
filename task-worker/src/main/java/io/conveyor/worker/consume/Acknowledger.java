package io.conveyor.worker.consume;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;

/**
 * Settles the deliveries of one consumer channel. Acks that are waiting together go to the broker in as few frames as
 * the broker allows: the run of settled deliveries that starts at the lowest unsettled one is acknowledged with one
 * {@code multiple} ack, any others one by one. A delivery that is neither acked nor nacked (a handler abandoned at a
 * forced shutdown, a prefetched task never started) stays unsettled, so no {@code multiple} ack ever covers it: it
 * goes back to its queue when the channel closes.
 * <p>
 * {@link #ackSoon} serves the successes whose state write Redis answered: an event-loop thread completes a whole
 * batch of them in a row, and they are acknowledged together by one flush on the ack thread, never on the event loop
 * (a socket write there could block it while the broker throttles the connection).
 */
final class Acknowledger {

    private static final Logger LOG = Logger.getLogger(Acknowledger.class);

    private final Channel channel;
    private final Executor flusher;
    /** Delivered and neither acked nor nacked yet, in delivery order. */
    private final ConcurrentSkipListSet<Long> unsettled = new ConcurrentSkipListSet<>();

    private final ConcurrentLinkedQueue<Long> toAck = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushPending = new AtomicBoolean();

    Acknowledger(Channel channel, Executor flusher) {
        this.channel = channel;
        this.flusher = flusher;
    }

    /** Called for each delivery before it is handed to a handler thread. */
    void delivered(long tag) {
        unsettled.add(tag);
    }

    /** Acknowledges now, on this thread, with whatever other acks are waiting. */
    void ack(long tag) {
        toAck.add(tag);
        flush();
    }

    /** Acknowledges shortly, on the ack thread, together with the acks requested meanwhile. */
    void ackSoon(long tag) {
        toAck.add(tag);
        if (flushPending.compareAndSet(false, true)) {
            try {
                flusher.execute(() -> {
                    flushPending.set(false);
                    flush();
                });
            } catch (RuntimeException rejected) {
                // The ack thread is gone (shutdown): settle here instead.
                flushPending.set(false);
                flush();
            }
        }
    }

    /** Returns the delivery to its queue, after the acks waiting before it. */
    synchronized void nack(long tag) {
        flush();
        if (channel.isOpen()) {
            try {
                channel.basicNack(tag, false, true);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Nack failed (%s); the broker will redeliver the message", e.toString());
            }
        }
        unsettled.remove(tag);
    }

    /** Deliveries not settled yet. */
    int unsettled() {
        return unsettled.size();
    }

    private synchronized void flush() {
        List<Long> tags = new ArrayList<>();
        for (Long tag; (tag = toAck.poll()) != null; ) {
            tags.add(tag);
        }
        if (tags.isEmpty()) {
            return;
        }
        if (!channel.isOpen()) {
            LOG.warnf("Channel closed before %d ack(s); the broker will redeliver those messages", tags.size());
            tags.forEach(unsettled::remove);
            return;
        }
        Collections.sort(tags);
        // The longest run of these tags that starts at the lowest unsettled delivery: one multiple ack covers it.
        int run = 0;
        long upTo = -1;
        Iterator<Long> lowest = unsettled.iterator();
        while (run < tags.size() && lowest.hasNext() && lowest.next().longValue() == tags.get(run)) {
            upTo = tags.get(run);
            run++;
        }
        try {
            if (run > 0) {
                channel.basicAck(upTo, run > 1);
            }
            for (int i = run; i < tags.size(); i++) {
                channel.basicAck(tags.get(i), false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Ack failed (%s); the broker will redeliver the message(s)", e.toString());
        }
        tags.forEach(unsettled::remove);
    }
}
