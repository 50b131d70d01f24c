package io.conveyor.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.conveyor.amqp.TopologyDeclarer;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.conveyor.model.Topology;

import static org.awaitility.Awaitility.await;

/**
 * The real RabbitMQ the tests run against (RABBITMQ_HOST/RABBITMQ_PORT/RABBITMQ_VHOST, default localhost:5672, /;
 * the apps under test read the same variables, so a separate vhost isolates a test run), wherever
 * {@link TestServices} found it: each setting is read as a system property first, then from the environment.
 * Construction fails loudly when the broker is unreachable: a test run never passes by skipping.
 */
public final class LocalBroker implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    public LocalBroker() {
        TestServices.resolve();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host());
        factory.setPort(port());
        factory.setUsername(username());
        factory.setPassword(password());
        factory.setVirtualHost(virtualHost());
        factory.setConnectionTimeout(5_000);
        try {
            connection = factory.newConnection("conveyor-tests");
            channel = connection.createChannel();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(
                    "The tests need RabbitMQ at " + host() + ":" + port()
                            + " (start it with `rabbitmq-server -detached`, or run `bash .ci/run`; or run the tests "
                            + "with -D" + TestServices.MODE_PROPERTY + "=containers)",
                    e);
        }
    }

    public static String host() {
        return env("RABBITMQ_HOST", "localhost");
    }

    public static String virtualHost() {
        return env("RABBITMQ_VHOST", "/");
    }

    public static int port() {
        return Integer.parseInt(env("RABBITMQ_PORT", "5672"));
    }

    public static String username() {
        return env("RABBITMQ_USERNAME", "guest");
    }

    public static String password() {
        return env("RABBITMQ_PASSWORD", "guest");
    }

    /** Declares the whole topology as the apps do, so tests can publish before an app connected. */
    public LocalBroker declareTopology() {
        try {
            TopologyDeclarer.declare(channel, TaskCatalogue.load().names());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Empties every Conveyor queue: task queues, retry tiers, dead letters and webhook jobs. */
    public void purgeAll() {
        List<String> queues = new ArrayList<>();
        TaskCatalogue.load().names().forEach(t -> queues.add(Topology.taskQueue(t)));
        Topology.RETRY_TIERS.forEach(t -> queues.add(Topology.retryQueue(t)));
        queues.add(Topology.DEAD_QUEUE);
        queues.add(Topology.WEBHOOK_QUEUE);
        queues.forEach(this::purge);
    }

    /** Whether the catalogue on this class path has a {@link TestOnlyTaskType}. */
    public static boolean hasTestOnlyTypes() {
        return TaskCatalogue.load().all().stream().anyMatch(LocalBroker::testOnly);
    }

    /** The names of the {@link TestOnlyTaskType}s on this class path. */
    public static List<String> testOnlyTypes() {
        return TaskCatalogue.load().all().stream()
                .filter(LocalBroker::testOnly)
                .map(TaskType::name)
                .toList();
    }

    /** Deletes the queue of every {@link TestOnlyTaskType}: the apps and tests declare it, no deployment has it. */
    public void deleteTestOnlyQueues() {
        testOnlyTypes().forEach(type -> call(() -> channel.queueDelete(Topology.taskQueue(type))));
    }

    private static boolean testOnly(TaskType type) {
        return type.payloadClass().isAnnotationPresent(TestOnlyTaskType.class);
    }

    public void purge(String queue) {
        call(() -> channel.queuePurge(queue));
    }

    public long messageCount(String queue) {
        return call(() -> channel.messageCount(queue));
    }

    public long consumerCount(String queue) {
        return call(() -> channel.consumerCount(queue));
    }

    public void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        call(() -> {
            channel.basicPublish(exchange, routingKey, props, body);
            return null;
        });
    }

    /** Takes the next message of a queue, acknowledged, waiting up to {@code timeout} for one to arrive. */
    public GetResponse take(String queue, Duration timeout) {
        GetResponse[] found = new GetResponse[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            found[0] = call(() -> channel.basicGet(queue, true));
            return found[0] != null;
        });
        return found[0];
    }

    /**
     * Finds the message whose {@code message_id} is {@code id} in a shared queue (such as the dead letters),
     * waiting up to {@code timeout}; it is removed, every other message is returned to the queue.
     */
    public GetResponse takeById(String queue, String id, Duration timeout) {
        GetResponse[] found = new GetResponse[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            found[0] = find(queue, id).orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private Optional<GetResponse> find(String queue, String id) {
        return call(() -> {
            try (Channel scan = connection.createChannel()) {
                GetResponse match = null;
                GetResponse next;
                while ((next = scan.basicGet(queue, false)) != null) {
                    if (match == null && id.equals(next.getProps().getMessageId())) {
                        match = next;
                        scan.basicAck(next.getEnvelope().getDeliveryTag(), false);
                    }
                }
                // Closing the scanning channel returns every other message to the queue.
                return Optional.ofNullable(match);
            }
        });
    }

    public Channel channel() {
        return channel;
    }

    /** The connection, to open channels of a test's own (close them in the test). */
    public Connection connection() {
        return connection;
    }

    /** A header value as text, whatever AMQP type it arrived as. */
    public static String header(GetResponse message, String name) {
        Map<String, Object> headers = message.getProps().getHeaders();
        Object value = headers == null ? null : headers.get(name);
        return value == null ? null : value.toString();
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            // Closing a test connection: nothing to recover.
        }
    }

    private interface BrokerCall<T> {
        T run() throws IOException, TimeoutException;
    }

    private static <T> T call(BrokerCall<T> call) {
        try {
            return call.run();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Broker call failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        return ServiceSettings.get(name, fallback);
    }
}
