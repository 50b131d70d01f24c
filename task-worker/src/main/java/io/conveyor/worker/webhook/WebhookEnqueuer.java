package io.conveyor.worker.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import io.conveyor.amqp.ConfirmingPublisher;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.event.OutcomeEvent;
import io.conveyor.webhook.WebhookJob;
import io.conveyor.webhook.WebhookQueue;
import io.conveyor.webhook.WebhookState;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.outcome.TaskOutcome;

/**
 * Enqueues the webhook of a task that ended (SUCCEEDED or DEAD) and has a callback URL: a job published persistently
 * to {@code conveyor.webhooks} and confirmed by the broker before the task's message is acknowledged, so a webhook is
 * never lost (at least once): if the publish fails the message goes back to its queue, and its redelivery, finding the
 * task terminal, enqueues it then ({@link #ensureQueued}). A task without a callback URL costs nothing here.
 */
@ApplicationScoped
public class WebhookEnqueuer {

    private static final Logger LOG = Logger.getLogger(WebhookEnqueuer.class);
    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    /**
     * Where jobs are published: a success's completes on Redis's event loop, which must not write to a socket the
     * broker may be throttling. A virtual thread per job, only for tasks with a callback.
     */
    private static final Executor PUBLISHING = Executors.newVirtualThreadPerTaskExecutor();

    private final ConfirmingPublisher publisher;
    private final Duration confirmTimeout;
    private final WebhookRecords records;
    private final WebhookDelivery delivery;

    public WebhookEnqueuer(WorkerConfig config, WebhookRecords records, WebhookDelivery delivery) {
        this.publisher = new ConfirmingPublisher(1);
        this.confirmTimeout = config.retry().confirmTimeout();
        this.records = records;
        this.delivery = delivery;
    }

    /** Opens the publisher's channel and starts consuming webhook jobs on a new connection. */
    public void open(Connection connection) throws IOException {
        publisher.open(connection);
        delivery.open(connection, publisher);
    }

    /**
     * Enqueues the webhook of a terminal outcome whose task has a callback URL; completes at once otherwise. A poison
     * message's outcome has no task: its {@code body} is read for one. Fails when the broker did not confirm.
     */
    public CompletableFuture<Void> enqueue(TaskOutcome outcome, byte[] body) {
        if (!outcome.status().terminal()) {
            return NOTHING;
        }
        TaskEnvelope task = outcome.task() != null ? outcome.task() : envelopeOf(body);
        if (task == null || task.callbackUrl() == null) {
            return NOTHING;
        }
        OutcomeEvent.EventError error = outcome.error() == null
                ? null
                : new OutcomeEvent.EventError(
                        outcome.error().getClass().getName(), outcome.error().getMessage());
        return publish(task, outcome.status(), outcome.attempt(), error);
    }

    /**
     * A redelivered task found {@code status} (terminal) instead of running: enqueues its webhook unless the record
     * says one was enqueued for this state already (or Redis cannot tell: then again). Completes at once for a task
     * without a callback URL.
     */
    public CompletableFuture<Void> ensureQueued(TaskEnvelope task, TaskStatus status, int attempt) {
        if (task.callbackUrl() == null || !status.terminal() || records.queuedForCurrentState(task.id())) {
            return NOTHING;
        }
        LOG.infof("Task %s is %s but its webhook was not enqueued; enqueuing it now", task.id(), status);
        return publish(task, status, attempt, null);
    }

    private CompletableFuture<Void> publish(
            TaskEnvelope task, TaskStatus status, int attempt, OutcomeEvent.EventError error) {
        OutcomeEvent event = new OutcomeEvent(
                WebhookJob.newEventId(),
                task.id(),
                task.type(),
                status,
                attempt,
                Instant.now(),
                error,
                task.schedule(),
                null);
        WebhookJob job = new WebhookJob(event, task.callbackUrl(), task.client(), 1);
        return CompletableFuture.supplyAsync(() -> WebhookQueue.enqueue(publisher, job, confirmTimeout), PUBLISHING)
                .thenCompose(confirmed -> confirmed)
                .thenRun(() -> {
                    records.write(job, WebhookState.queued(job));
                    LOG.debugf("Webhook %s of task %s (%s) enqueued", event.id(), task.id(), status);
                });
    }

    private static TaskEnvelope envelopeOf(byte[] body) {
        try {
            return Json.mapper().readValue(body, TaskEnvelope.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
