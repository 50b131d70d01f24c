package io.conveyor.gateway.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.limits.ManagementApi;
import io.conveyor.gateway.publish.Broker;
import io.conveyor.model.Json;
import io.conveyor.model.Topology;
import io.conveyor.model.ops.ControlMessage;
import io.conveyor.model.ops.OpsKeys;

/**
 * The broker's side of the operations API, all blocking: the task queues' counts, from the management API when
 * {@code RABBITMQ_MANAGEMENT_URL} is set (one call for every queue), else (or when that call fails) from passive
 * declares on the gateway's connection; and the control messages that pause and resume consumers. Passive declares
 * and publishes share one channel of their own, never the publishing channels: a passive declare of a missing queue
 * closes its channel, which is then opened again for the next call.
 */
@ApplicationScoped
public class BrokerFigures {

    private static final Logger LOG = Logger.getLogger(BrokerFigures.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MANAGEMENT_BACKOFF = Duration.ofSeconds(30);

    /** One queue's counts; {@code -1} where unknown. */
    public record Counts(long ready, long unacknowledged, int consumers) {
        static final Counts UNKNOWN = new Counts(-1, -1, -1);
    }

    /** Every asked queue's counts by task type, and where they came from ({@link QueuesView#MANAGEMENT} or AMQP). */
    public record Snapshot(String source, Map<String, Counts> byType) {}

    private final Broker broker;
    private final Optional<ManagementApi> management;
    private Channel channel;
    private volatile long managementFailedAt = System.nanoTime() - MANAGEMENT_BACKOFF.toNanos();
    private volatile boolean managementFailing;

    public BrokerFigures(Broker broker, GatewayConfig config) {
        this.broker = broker;
        this.management = config.queueLimits()
                .managementUrl()
                .filter(url -> !url.isBlank())
                .map(url -> ManagementApi.of(config));
    }

    /**
     * The counts of each type's task queue. After a failed management call the next ones go over AMQP for {@link
     * #MANAGEMENT_BACKOFF}: an API that times out must not make every answer wait for it.
     */
    public Snapshot counts(Collection<String> types) {
        if (management.isPresent() && System.nanoTime() - managementFailedAt >= MANAGEMENT_BACKOFF.toNanos()) {
            try {
                Snapshot snapshot = new Snapshot(
                        QueuesView.MANAGEMENT, fromManagement(management.get().queues(), types));
                managementFailing = false;
                return snapshot;
            } catch (IOException e) {
                managementFailedAt = System.nanoTime();
                if (!managementFailing) {
                    managementFailing = true;
                    LOG.warnf(
                            "Queue counts from the management API at %s failed, read over AMQP for %d s (no "
                                    + "unacknowledged counts): %s",
                            management.get().where(), MANAGEMENT_BACKOFF.toSeconds(), e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Snapshot(QueuesView.AMQP, fromAmqp(types));
    }

    static Map<String, Counts> fromManagement(JsonNode queues, Collection<String> types) {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode queue : queues) {
            byName.put(queue.path("name").asText(), queue);
        }
        Map<String, Counts> counts = new HashMap<>();
        for (String type : types) {
            JsonNode queue = byName.get(Topology.taskQueue(type));
            // A queue declared a moment ago has no message counts until the broker's next sample.
            counts.put(
                    type,
                    queue == null
                            ? Counts.UNKNOWN
                            : new Counts(
                                    queue.path("messages_ready").asLong(-1),
                                    queue.path("messages_unacknowledged").asLong(-1),
                                    queue.path("consumers").asInt(-1)));
        }
        return counts;
    }

    /** Passive declares, one per queue: ready and consumers; unacknowledged is not told over AMQP. */
    // Package-private: FiftyTypesTest times this path whether or not the management API answers.
    synchronized Map<String, Counts> fromAmqp(Collection<String> types) {
        Map<String, Counts> counts = new HashMap<>();
        for (String type : types) {
            Counts found = Counts.UNKNOWN;
            try {
                AMQP.Queue.DeclareOk ok = channel().queueDeclarePassive(Topology.taskQueue(type));
                found = new Counts(ok.getMessageCount(), -1, ok.getConsumerCount());
            } catch (IOException | RuntimeException e) {
                // A missing queue (the channel is closed by it) or no connection: unknown, and the next type
                // gets a fresh channel.
                LOG.debugf("Passive declare of %s failed: %s", Topology.taskQueue(type), e.toString());
            }
            counts.put(type, found);
        }
        return counts;
    }

    /**
     * Publishes a control message on the fanout exchange (declared here too, durable, as the workers declare it) and
     * waits for the broker's confirm.
     */
    public synchronized void publish(ControlMessage message) {
        try {
            Channel open = channel();
            open.exchangeDeclare(OpsKeys.CONTROL_EXCHANGE, BuiltinExchangeType.FANOUT, true);
            byte[] body = Json.mapper().writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .build();
            open.basicPublish(OpsKeys.CONTROL_EXCHANGE, "", props, body);
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw new ControlUnavailableException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlUnavailableException("interrupted", e);
        }
    }

    /** The operations channel, opened (in confirm mode) on the gateway's connection when it has none open. */
    private Channel channel() throws IOException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        Connection connection =
                broker.connection().orElseThrow(() -> new IOException("not connected to RabbitMQ: " + broker.state()));
        channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("no channel left on the connection");
        }
        channel.confirmSelect();
        return channel;
    }

    @PreDestroy
    synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("Closing the operations channel: %s", e.toString());
        }
    }
}
