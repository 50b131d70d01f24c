package io.conveyor.worker.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.webhook.WebhookJob;
import io.conveyor.webhook.WebhookState;
import io.conveyor.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * The webhook's fields on the task's record ({@code webhook.lua}). Best effort: Redis down or slow never stops a
 * delivery; a failed write is logged.
 */
@ApplicationScoped
public class WebhookRecords {

    private static final Logger LOG = Logger.getLogger(WebhookRecords.class);

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    public WebhookRecords(ReactiveRedisDataSource redis, WorkerConfig config) {
        this.redis = redis;
        this.timeout = config.state().writeTimeout();
    }

    /** Writes, without waiting; the future completes when written, or with the write given up (never fails). */
    CompletableFuture<Void> write(WebhookJob job, List<String> args) {
        String[] evalsha = Scripts.evalsha(Scripts.WEBHOOK, WebhookState.keys(job), args);
        return redis.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", Scripts.eval(Scripts.WEBHOOK, evalsha)))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new IllegalStateException("No answer from Redis within " + timeout))
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "Could not record the webhook of task %s (%s %s): %s",
                        job.event().taskId(), args.get(0), args.get(4), e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    /**
     * Whether a webhook was enqueued for the terminal state the task's record holds now; false when it was not, and
     * when Redis does not say (a duplicate is allowed, a loss is not).
     */
    boolean queuedForCurrentState(String taskId) {
        try {
            Response answer = redis.execute("HMGET", StateKeys.task(taskId), "status", "updatedAt", "callbackSent")
                    .await()
                    .atMost(timeout);
            return WebhookState.queuedFor(text(answer.get(0)), text(answer.get(1)), text(answer.get(2)));
        } catch (RuntimeException e) {
            LOG.warnf("Could not read whether task %s's webhook is enqueued (%s); enqueuing it", taskId, e.toString());
            return false;
        }
    }

    private static String text(Response r) {
        return r == null ? null : r.toString();
    }
}
