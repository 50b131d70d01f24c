package io.conveyor.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import io.conveyor.model.Topology;

/**
 * Publishes outcome events to {@link Topology#EVENTS_EXCHANGE} from a bounded queue, on one thread and one channel
 * of a connection of its own, without confirms: best effort, at most once. {@link #offer} never blocks: an event
 * that finds the queue full is dropped. While the broker is away (or blocks publishers) the thread holds the next
 * event and the queue fills; once the connection has recovered, what the queue held goes out. An event whose publish
 * fails is dropped. The {@link Listener} hears of every event sent or dropped.
 */
public final class EventSender implements AutoCloseable {

    /** What happened to events, for the app's counters and warnings. Called on any thread; must not block. */
    public interface Listener {
        void sent();

        /** {@code reason}: {@code buffer-full} or {@code send-failed}. */
        void dropped(String reason, Throwable cause);
    }

    /** One event message: its routing key, properties and body. */
    public record Outgoing(String routingKey, AMQP.BasicProperties properties, byte[] body) {}

    private static final long WAIT_FOR_BROKER_MS = 100;
    private static final IllegalStateException FULL =
            new IllegalStateException("the event buffer is full: the broker is away or slower than the tasks");

    private final BlockingQueue<Outgoing> queue;
    private final BrokerConnector connector;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean closed;
    private Channel channel;

    public EventSender(BrokerSettings settings, int capacity, Listener listener) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.connector = new BrokerConnector(settings);
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("conveyor-events").daemon().unstarted(this::run);
    }

    /** Connects (in the background, retrying until the broker answers) and starts sending. */
    public void start() {
        connector.start(connection -> {});
        thread.start();
    }

    /** Queues {@code event} without waiting; false (and the listener told) when the queue is full. */
    public boolean offer(Outgoing event) {
        if (queue.offer(event)) {
            return true;
        }
        listener.dropped("buffer-full", FULL);
        return false;
    }

    /** Events waiting to be sent. */
    public int waiting() {
        return queue.size();
    }

    private void run() {
        Outgoing next = null;
        while (!closed || (next != null || !queue.isEmpty())) {
            try {
                if (next == null) {
                    next = queue.poll(WAIT_FOR_BROKER_MS, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        continue;
                    }
                }
                Channel open = channel();
                if (open == null) {
                    if (closed) {
                        return;
                    }
                    // The broker is away: keep the event, let the queue fill (and drop) until the connection is back.
                    Thread.sleep(WAIT_FOR_BROKER_MS);
                    continue;
                }
                Outgoing sending = next;
                next = null;
                try {
                    open.basicPublish(
                            Topology.EVENTS_EXCHANGE,
                            sending.routingKey(),
                            false,
                            sending.properties(),
                            sending.body());
                    listener.sent();
                } catch (IOException | ShutdownSignalException | IllegalStateException e) {
                    listener.dropped("send-failed", e);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                listener.dropped("send-failed", e);
            }
        }
    }

    /** The channel to publish on, opened (and the exchange declared) when needed; null while not connected. */
    private Channel channel() {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        Connection connection =
                connector.connection().filter(Connection::isOpen).orElse(null);
        if (connection == null) {
            return null;
        }
        try {
            if (channel != null) {
                // Closed by the broker for a reason of its own (not a lost connection, which recovery reopens).
                channel.abort();
            }
            channel = connection.createChannel();
            channel.exchangeDeclare(Topology.EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, Map.of());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel = null;
            return null;
        }
    }

    /** Sends what is queued for up to {@code graceMillis}, then closes the connection. */
    public void close(long graceMillis) {
        closed = true;
        try {
            thread.join(graceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        connector.close();
    }

    @Override
    public void close() {
        close(1_000);
    }
}
