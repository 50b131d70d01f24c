package io.conveyor.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.conveyor.model.Json;
import io.conveyor.model.Topology;

/**
 * A subscriber to the outcome events on {@code conveyor.events}, as another service would be: a server-named,
 * exclusive, auto-delete queue bound with the given routing keys ({@code "#.DEAD"}, {@code "noop.SUCCEEDED"}),
 * consumed into memory. {@link #close} deletes the queue (the broker would when the connection closes anyway).
 */
public final class EventSubscriber implements AutoCloseable {

    /** One event as received: its routing key, properties and JSON body. */
    public record Received(String routingKey, AMQP.BasicProperties properties, JsonNode body) {

        public String taskId() {
            return body.path("taskId").asText(null);
        }

        public String status() {
            return body.path("status").asText(null);
        }
    }

    private final Channel channel;
    private final String queue;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public EventSubscriber(LocalBroker broker, String... routingKeys) {
        try {
            channel = broker.connection().createChannel();
            // The apps declare the exchange at startup; declaring it here too (same arguments) lets a test bind first.
            channel.exchangeDeclare(Topology.EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, null);
            queue = channel.queueDeclare("", false, true, true, null).getQueue();
            for (String key : routingKeys) {
                channel.queueBind(queue, Topology.EVENTS_EXCHANGE, key);
            }
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    received.add(new Received(
                            envelope.getRoutingKey(), properties, Json.mapper().readTree(body)));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("Could not subscribe to " + Topology.EVENTS_EXCHANGE, e);
        }
    }

    /** Every event received so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The events of one task received so far, in arrival order. */
    public List<Received> of(String taskId) {
        return received.stream().filter(r -> taskId.equals(r.taskId())).toList();
    }

    /** Waits for the task's event with {@code status} and returns it. */
    public Received await(String taskId, String status, Duration atMost) {
        Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> find(taskId, status).isPresent());
        return find(taskId, status).orElseThrow();
    }

    private Optional<Received> find(String taskId, String status) {
        return of(taskId).stream().filter(r -> status.equals(r.status())).findFirst();
    }

    @Override
    public void close() {
        try {
            channel.queueDelete(queue);
            channel.close();
        } catch (IOException | TimeoutException e) {
            // The queue is exclusive and auto-delete: the broker removes it with the connection.
        }
    }
}
