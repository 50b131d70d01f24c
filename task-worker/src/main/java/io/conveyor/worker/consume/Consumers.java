package io.conveyor.worker.consume;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.conveyor.model.ops.ControlMessage;
import io.conveyor.worker.route.HandlerRegistry;

/**
 * The consumers of the consumed types, one channel each, and which of those types an operator paused. Pausing
 * cancels the type's consumer but keeps its channel open: the deliveries this worker already holds finish and are
 * acknowledged on it, and resuming consumes again on the same channel. Every start and cancel happens under this
 * object's lock, so a control message, the heartbeat's reconcile and the drain never interleave theirs.
 */
final class Consumers {

    private static final Logger LOG = Logger.getLogger(Consumers.class);

    /** Where a consumer's deliveries go. */
    interface Deliveries {
        void handle(
                HandlerRegistry.Route route,
                Acknowledger acks,
                Envelope envelope,
                AMQP.BasicProperties props,
                byte[] body);
    }

    /** A consumed type's channel and what settles its deliveries; {@code tag} is null while it does not consume. */
    private static final class Subscription {
        final HandlerRegistry.Route route;
        final Channel channel;
        final Acknowledger acks;
        String tag;

        Subscription(HandlerRegistry.Route route, Channel channel, Acknowledger acks) {
            this.route = route;
            this.channel = channel;
            this.acks = acks;
        }

        String type() {
            return Consumers.type(route);
        }
    }

    private final Set<String> consumed;
    private final Deliveries deliveries;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The consumed types paused now, as the operator wants them; the consumers follow. */
    private final Set<String> paused = new HashSet<>();
    /**
     * When ({@link System#nanoTime()}) the last control message of each type came. {@link #reconcile} leaves such a
     * type alone for a grace period: the message may be newer than the read of the paused set, and the gateway writes
     * the set before it publishes, so the next read after the grace agrees with the message (or corrects it).
     */
    private final Map<String, Long> lastControl = new HashMap<>();

    private final long graceNanos;
    /** Set by the drain: no consumer starts again. */
    private boolean stopped;

    Consumers(Collection<String> consumed, Duration grace, Deliveries deliveries) {
        this.consumed = Set.copyOf(consumed);
        this.graceNanos = grace.toNanos();
        this.deliveries = deliveries;
    }

    /** Opens a channel per route and consumes on each, except the paused types. */
    synchronized void open(
            Connection connection, Collection<HandlerRegistry.Route> routes, int prefetch, ExecutorService ackThread)
            throws IOException {
        for (HandlerRegistry.Route route : routes) {
            Channel channel = connection.createChannel();
            // Prefetch bounds what this worker holds unacknowledged; never unlimited.
            channel.basicQos(prefetch);
            Subscription subscription = new Subscription(route, channel, new Acknowledger(channel, ackThread));
            subscriptions.add(subscription);
            if (paused.contains(subscription.type())) {
                LOG.infof("Task type %s is paused: this worker does not consume it until it is resumed", type(route));
            } else {
                subscription.tag = consume(subscription);
            }
        }
    }

    /** A PAUSE or RESUME from the control exchange; a type this worker does not consume is none of its business. */
    synchronized void control(ControlMessage message) {
        String type = message.type();
        if (!consumed.contains(type)) {
            LOG.debugf("Ignoring %s of %s, which this worker does not consume", message.action(), type);
            return;
        }
        lastControl.put(type, System.nanoTime());
        want(type, message.action() == ControlMessage.Action.PAUSE);
        // Even when it changes nothing: it retries a start or cancel that failed.
        applyTo(type, "control message");
    }

    /**
     * Pauses and resumes to match the paused set, read from {@code readAt} ({@link System#nanoTime()}) on, except the
     * types a control message changed within the grace period before that. Also retries a start or cancel that failed.
     */
    synchronized void reconcile(Set<String> pausedSet, long readAt) {
        for (String type : consumed) {
            Long control = lastControl.get(type);
            if (control == null || readAt - control > graceNanos) {
                want(type, pausedSet.contains(type));
            }
        }
        subscriptions.forEach(s -> apply(s, "paused set in Redis"));
    }

    /** Records whether the operator wants {@code type} paused. */
    private void want(String type, boolean pause) {
        if (pause) {
            paused.add(type);
        } else {
            paused.remove(type);
        }
    }

    private void applyTo(String type, String reason) {
        subscriptions.stream().filter(s -> s.type().equals(type)).forEach(s -> apply(s, reason));
    }

    /** Starts or cancels the consumer to match what the operator wants; a failure is retried by the next reconcile. */
    private void apply(Subscription subscription, String reason) {
        if (stopped) {
            return;
        }
        boolean pause = paused.contains(subscription.type());
        try {
            if (pause && subscription.tag != null) {
                subscription.channel.basicCancel(subscription.tag);
                subscription.tag = null;
                LOG.infof(
                        "Paused task type %s on this worker (%s): no new deliveries, those in flight finish",
                        subscription.type(), reason);
            } else if (!pause && subscription.tag == null) {
                subscription.tag = consume(subscription);
                LOG.infof("Resumed task type %s on this worker (%s)", subscription.type(), reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "Could not %s consuming %s (%s); trying again at the next heartbeat",
                    pause ? "stop" : "start", subscription.type(), e.toString());
        }
    }

    private String consume(Subscription subscription) throws IOException {
        Channel channel = subscription.channel;
        return channel.basicConsume(subscription.route.type().queue(), false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                subscription.acks.delivered(envelope.getDeliveryTag());
                deliveries.handle(subscription.route, subscription.acks, envelope, props, body);
            }
        });
    }

    private static String type(HandlerRegistry.Route route) {
        return route.type().name();
    }

    /** The drain: cancels every active consumer, for good; the channels stay open for the last acks. */
    synchronized void cancelAll() {
        stopped = true;
        for (Subscription subscription : subscriptions) {
            try {
                if (subscription.tag != null && subscription.channel.isOpen()) {
                    subscription.channel.basicCancel(subscription.tag);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Cancelling a consumer: %s", e);
            }
            subscription.tag = null;
        }
    }

    /** The consumed types paused now, sorted. */
    synchronized List<String> paused() {
        return paused.stream().sorted().toList();
    }

    /** Every consumed type has its channel open, whether it consumes or is paused. */
    boolean channelsOpen() {
        return !subscriptions.isEmpty() && subscriptions.stream().allMatch(s -> s.channel.isOpen());
    }

    int unsettled() {
        int unsettled = 0;
        for (Subscription subscription : subscriptions) {
            unsettled += subscription.acks.unsettled();
        }
        return unsettled;
    }

    /** Closes every channel, which returns what it holds unacknowledged to the queues; forgets them. */
    synchronized void close() {
        subscriptions.forEach(s -> WorkerRuntime.closeQuietly(s.channel));
        subscriptions.clear();
    }
}
