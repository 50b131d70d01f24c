package io.conveyor.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import io.conveyor.model.Headers;
import io.conveyor.model.Topology;

/**
 * Declares the whole topology, idempotently. Both apps call it with the same arguments (a differing argument
 * would make the broker refuse the declaration), the gateway so that nothing it accepts is unroutable even
 * before a worker ever ran, the worker so that it can start first.
 */
public final class TopologyDeclarer {

    private TopologyDeclarer() {}

    /** {@link #declare(Channel, Collection, int)} with the broker's own number of quorum queue replicas. */
    public static void declare(Channel channel, Collection<String> taskTypes) throws IOException {
        declare(channel, taskTypes, 0);
    }

    /**
     * Declares the topology; every quorum queue with {@code quorumReplicas} replicas
     * ({@code x-quorum-initial-group-size}), or as many as the broker chooses when 0.
     */
    public static void declare(Channel channel, Collection<String> taskTypes, int quorumReplicas) throws IOException {
        channel.exchangeDeclare(Topology.TASKS_EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(Topology.DEAD_LETTER_EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(Topology.RETRY_EXCHANGE, BuiltinExchangeType.HEADERS, true);
        // Outcome events: EventSender declares it too, with these very arguments, on every channel it opens; declared
        // here as well so that it exists before any subscriber binds to it, even before the first event was sent.
        channel.exchangeDeclare(Topology.EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, Map.of());

        // Classic, not quorum: operators browse dead letters (get, then return them), and on RabbitMQ 4.x every
        // return counts towards a quorum queue's default delivery limit of 20, past which it would drop them.
        channel.queueDeclare(Topology.DEAD_QUEUE, true, false, false, Map.of("x-queue-type", "classic"));
        channel.queueBind(Topology.DEAD_QUEUE, Topology.DEAD_LETTER_EXCHANGE, "#");

        for (Duration tier : Topology.RETRY_TIERS) {
            String queue = Topology.retryQueue(tier);
            // Expired messages go to the default exchange under their own routing key, which the publisher set
            // to the task's queue name: a retry returns to its own queue only.
            channel.queueDeclare(
                    queue,
                    true,
                    false,
                    false,
                    withReplicas(
                            Map.of(
                                    "x-queue-type", "quorum",
                                    "x-message-ttl", tier.toMillis(),
                                    "x-dead-letter-exchange", ""),
                            quorumReplicas));
            // Builds before 0.1.0 bound on an x- header, which a headers exchange ignores: such a binding matches
            // every message and copies each retry into every tier. Removing it is a no-op where it never existed.
            channel.queueUnbind(
                    queue,
                    Topology.RETRY_EXCHANGE,
                    "",
                    Map.of("x-match", "all", "x-retry-tier", Topology.tierLabel(tier)));
            // Bind after the unbind: the broker may take the two argument tables for one binding.
            channel.queueBind(
                    queue,
                    Topology.RETRY_EXCHANGE,
                    "",
                    Map.of("x-match", "all", Headers.RETRY_TIER, Topology.tierLabel(tier)));
        }

        // Webhook jobs (README, "Webhooks"): a retry comes back from its tier under this queue's name.
        channel.queueDeclare(Topology.WEBHOOK_QUEUE, true, false, false, taskQueueArguments(quorumReplicas));

        for (String type : taskTypes) {
            String queue = Topology.taskQueue(type);
            channel.queueDeclare(queue, true, false, false, taskQueueArguments(quorumReplicas));
            channel.queueBind(queue, Topology.TASKS_EXCHANGE, type);
        }
    }

    /** Quorum queue (3.x and 4.x) whose delivery limit dead-letters a message that keeps killing workers. */
    public static Map<String, Object> taskQueueArguments() {
        return taskQueueArguments(0);
    }

    /** {@link #taskQueueArguments()} with {@code quorumReplicas} replicas (0: as many as the broker chooses). */
    public static Map<String, Object> taskQueueArguments(int quorumReplicas) {
        return withReplicas(
                Map.of(
                        "x-queue-type", "quorum",
                        "x-delivery-limit", Topology.DELIVERY_LIMIT,
                        "x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE),
                quorumReplicas);
    }

    /**
     * Adds {@code x-quorum-initial-group-size}, which both RabbitMQ 3.x and 4.x take: on a cluster of fewer nodes
     * the queue gets one replica per node. The broker compares it with an existing queue's on every declaration.
     */
    private static Map<String, Object> withReplicas(Map<String, Object> arguments, int quorumReplicas) {
        if (quorumReplicas <= 0) {
            return arguments;
        }
        Map<String, Object> with = new HashMap<>(arguments);
        with.put("x-quorum-initial-group-size", quorumReplicas);
        return Map.copyOf(with);
    }
}
