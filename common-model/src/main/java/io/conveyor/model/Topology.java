package io.conveyor.model;

import java.time.Duration;
import java.util.List;

/** Exchange and queue names of the broker topology (README.md, "Broker topology"; docs/architecture.md, "Messages"). */
public final class Topology {

    /** Topic exchange the gateway publishes to; routing key = task type. */
    public static final String TASKS_EXCHANGE = "conveyor.tasks";

    public static final String TASK_QUEUE_PREFIX = "conveyor.task.";
    /** Prefix of the broker policy the gateway sets on each task queue to bound it (README, "Queue limits"). */
    public static final String LIMIT_POLICY_PREFIX = "conveyor-limit-";
    /** Headers exchange routing delayed messages into a {@link #RETRY_TIERS tier} queue by {@link Headers#RETRY_TIER}. */
    public static final String RETRY_EXCHANGE = "conveyor.retry";

    public static final String RETRY_QUEUE_PREFIX = "conveyor.retry.";
    /** Topic exchange of dead letters; routing key = task type. */
    public static final String DEAD_LETTER_EXCHANGE = "conveyor.dlx";

    public static final String DEAD_QUEUE = "conveyor.dead";
    /**
     * Topic exchange of outcome events ({@code OutcomeEvent}); routing key
     * {@code <type>.<status>}, so a subscriber binds {@code send_email.DEAD} or {@code #.SUCCEEDED}.
     */
    public static final String EVENTS_EXCHANGE = "conveyor.events";
    /** Quorum queue of webhook deliveries still to make (README, "Events and webhooks"). */
    public static final String WEBHOOK_QUEUE = "conveyor.webhooks";
    /** Redeliveries after which the broker itself dead-letters a message that keeps killing workers. */
    public static final int DELIVERY_LIMIT = 20;
    /**
     * Redeliveries after which a worker dead-letters a message itself (reason {@code delivery-limit}) instead of
     * running it: before the broker's limit, so the dead letter and the task state tell what happened.
     */
    public static final int WORKER_DELIVERY_GUARD = 10;

    /** Fixed-TTL delay queues; a delay is rounded up to the next tier. */
    public static final List<Duration> RETRY_TIERS = List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofHours(1));

    private Topology() {}

    public static String taskQueue(String type) {
        return TASK_QUEUE_PREFIX + type;
    }

    /** The name of the policy that bounds the queue of {@code type}: {@code conveyor-limit-<type>}. */
    public static String limitPolicy(String type) {
        return LIMIT_POLICY_PREFIX + type;
    }

    /** Tier label as used in queue names and the {@link Headers#RETRY_TIER} header: 1s, 5s, 30s, 2m, 10m, 1h. */
    public static String tierLabel(Duration tier) {
        long s = tier.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    public static String retryQueue(Duration tier) {
        return RETRY_QUEUE_PREFIX + tierLabel(tier);
    }
}
