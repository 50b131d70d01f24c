package io.conveyor.gateway.webhook;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.publish.Broker;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.event.OutcomeEvent;
import io.conveyor.model.state.Scripts;
import io.conveyor.webhook.WebhookJob;
import io.conveyor.webhook.WebhookQueue;
import io.conveyor.webhook.WebhookState;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * The webhook of a task the gateway cancelled: a CANCELLED job published, confirmed, to {@code conveyor.webhooks},
 * then marked on the record. Never fails the cancel, which has happened: if the publish fails, the cancelled task's
 * message still reaches a worker, which finds the task terminal without a webhook enqueued and enqueues it.
 */
@ApplicationScoped
public class CancelWebhooks {

    private static final Logger LOG = Logger.getLogger(CancelWebhooks.class);

    private final Broker broker;
    private final ReactiveRedisDataSource redis;
    private final Duration confirmTimeout;

    public CancelWebhooks(Broker broker, ReactiveRedisDataSource redis, GatewayConfig config) {
        this.broker = broker;
        this.redis = redis;
        this.confirmTimeout = config.publish().confirmTimeout();
    }

    /** Enqueues the webhook of the task whose view (after its cancel) is {@code view}; nothing without a callback. */
    public Uni<Void> cancelled(TaskView view) {
        if (view == null || view.callback() == null || view.status() != TaskStatus.CANCELLED) {
            return Uni.createFrom().voidItem();
        }
        OutcomeEvent event = new OutcomeEvent(
                WebhookJob.newEventId(),
                view.id(),
                view.type(),
                TaskStatus.CANCELLED,
                view.attempts(),
                view.updatedAt() == null ? Instant.now() : view.updatedAt(),
                null,
                view.schedule(),
                view.batch());
        WebhookJob job = new WebhookJob(event, view.callback().url(), view.client(), 1);
        return Uni.createFrom()
                .completionStage(() -> WebhookQueue.enqueue(broker.publisher(), job, confirmTimeout))
                .flatMap(ignored -> mark(job))
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "Could not enqueue the webhook of cancelled task %s (%s); a worker will when its message"
                                + " arrives",
                        view.id(), e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> mark(WebhookJob job) {
        String[] evalsha = Scripts.evalsha(Scripts.WEBHOOK, WebhookState.keys(job), WebhookState.queued(job));
        return redis.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", Scripts.eval(Scripts.WEBHOOK, evalsha)))
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "Could not mark the webhook of task %s enqueued: %s",
                        job.event().taskId(), e))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
