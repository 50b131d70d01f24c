package io.conveyor.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.conveyor.amqp.ConfirmingPublisher;
import io.conveyor.model.Headers;
import io.conveyor.model.Topology;

/**
 * Puts webhook jobs on the broker, persistent and confirmed: a new job straight into {@code conveyor.webhooks}, a
 * retry into a retry tier whose expiry dead-letters it back there (its routing key is the webhook queue's name), so no
 * job ever waits in a worker's memory.
 */
public final class WebhookQueue {

    private WebhookQueue() {}

    /** Completes once the broker confirmed the job in the webhook queue; fails otherwise, or after {@code timeout}. */
    public static CompletableFuture<Void> enqueue(ConfirmingPublisher publisher, WebhookJob job, Duration timeout) {
        return publisher
                .publish("", Topology.WEBHOOK_QUEUE, job.properties(Map.of()), job.toJson())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes once the broker confirmed {@code job} (the next attempt's) in the retry tier {@code tier}. */
    public static CompletableFuture<Void> retry(
            ConfirmingPublisher publisher, WebhookJob job, Duration tier, Duration timeout) {
        return publisher
                .publish(
                        Topology.RETRY_EXCHANGE,
                        Topology.WEBHOOK_QUEUE,
                        job.properties(Map.of(Headers.RETRY_TIER, Topology.tierLabel(tier))),
                        job.toJson())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
