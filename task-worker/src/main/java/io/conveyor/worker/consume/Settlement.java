package io.conveyor.worker.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.worker.deadletter.CrashLoopException;
import io.conveyor.worker.deadletter.PoisonMessageException;
import io.conveyor.worker.outcome.TaskOutcome;
import io.conveyor.worker.retry.FailurePolicy;
import io.conveyor.worker.state.TaskStateWriter;
import io.conveyor.worker.webhook.WebhookEnqueuer;

/**
 * Ends a delivery. What replaces it (a retry, a re-delay, a dead letter) is published and confirmed first, its
 * outcome recorded and observed, and only then is the delivery acknowledged; a failed publish returns it to its
 * queue instead. A success is acknowledged once its SUCCEEDED write is answered, without holding the handler's
 * thread meanwhile; {@link #awaitSettled} lets a drain wait for those acks.
 */
@ApplicationScoped
public class Settlement {

    private static final Logger LOG = Logger.getLogger(Settlement.class);

    private final Outcomes outcomes;
    private final TaskStateWriter state;
    private final BatchCompletion batches;
    private final Event<TaskOutcome> outcomeEvents;
    /** Enqueues the signed webhook of a task that ends with a callback URL, before its message is acknowledged. */
    private final WebhookEnqueuer webhooks;
    /** Successes whose state write is in flight: their acks are still to come. */
    private final AtomicInteger settling = new AtomicInteger();

    public Settlement(
            Outcomes outcomes,
            TaskStateWriter state,
            BatchCompletion batches,
            Event<TaskOutcome> outcomeEvents,
            WebhookEnqueuer webhooks) {
        this.outcomes = outcomes;
        this.state = state;
        this.batches = batches;
        this.outcomeEvents = outcomeEvents;
        this.webhooks = webhooks;
    }

    /**
     * Records SUCCEEDED and acknowledges when Redis answers. This thread goes on to its next task meanwhile; the ack
     * goes out on the ack thread, together with the other successes of the same batch. A success that ends a task
     * batch first publishes the batch's onComplete task; if that fails, the message goes back to its queue, and its
     * redelivery (the task being SUCCEEDED already) tries again.
     */
    void succeeded(Delivery delivery, TaskOutcome success) {
        settling.incrementAndGet();
        state.record(success)
                .thenCompose(batches::complete)
                // Webhook: its job confirmed before the ack, or the message goes back (a no-op without a callback).
                .thenCompose(done -> webhooks.enqueue(success, delivery.body()))
                .whenComplete((recorded, batchFailure) -> {
                    try {
                        outcomeEvents.fire(success);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "An outcome observer failed for task %s", success.taskId());
                    } finally {
                        if (batchFailure == null) {
                            delivery.acks().ackSoon(delivery.tag());
                        } else {
                            delivery.acks().nack(delivery.tag());
                        }
                        settled();
                    }
                });
    }

    /**
     * A failed attempt, started at {@code startedAt}, is retried or dead-lettered, as {@link FailurePolicy} decides.
     */
    void failed(Delivery delivery, TaskEnvelope task, Exception failure, Instant startedAt) {
        int attempt = delivery.attempt();
        FailurePolicy.Decision decision = FailurePolicy.decide(failure, attempt, task.maxAttempts());
        if (decision == FailurePolicy.Decision.RETRY) {
            replace(delivery, () -> {
                Duration tier = outcomes.retry(task.type(), delivery.props(), delivery.body(), attempt);
                finish(
                        TaskOutcome.retryScheduled(
                                task, attempt, failure, Instant.now().plus(tier), startedAt),
                        null);
                LOG.warnf(
                        "Task %s (%s) attempt %d/%d failed (%s); retrying after %s",
                        task.id(), task.type(), attempt, task.maxAttempts(), failure, tier);
            });
        } else {
            replace(delivery, () -> {
                outcomes.deadLetter(
                        delivery.routingKey(), delivery.props(), delivery.body(), failure, decision.reason(), attempt);
                finish(TaskOutcome.dead(task, attempt, failure, startedAt), null);
                LOG.errorf(
                        "Task %s (%s) dead-lettered after attempt %d/%d (%s): %s",
                        task.id(), task.type(), attempt, task.maxAttempts(), decision.reason(), failure);
            });
        }
    }

    /** A message redelivered too often is dead-lettered instead of run again. */
    void crashLooped(Delivery delivery, TaskEnvelope task, int deliveries) {
        CrashLoopException loop = new CrashLoopException(deliveries);
        LOG.warnf("Dead-lettering task %s (%s): %s", task.id(), task.type(), loop.getMessage());
        replace(delivery, () -> {
            outcomes.deadLetter(
                    delivery.routingKey(),
                    delivery.props(),
                    delivery.body(),
                    loop,
                    "delivery-limit",
                    delivery.attempt());
            finish(TaskOutcome.dead(task, delivery.attempt(), loop, null), null);
        });
    }

    /** A message no handler can run is dead-lettered. */
    void poisoned(Delivery delivery, PoisonMessageException poison) {
        LOG.warnf("Dead-lettering a poison message (%s): %s", delivery.typeHint(), poison.getMessage());
        replace(delivery, () -> {
            outcomes.deadLetter(
                    delivery.routingKey(), delivery.props(), delivery.body(), poison, "poison", delivery.attempt());
            finish(
                    TaskOutcome.poison(
                            delivery.props().getMessageId(), delivery.typeHint(), delivery.attempt(), poison),
                    delivery.body());
        });
    }

    /** An early delayed task goes back to wait; a failed publish throws, and the caller returns the message. */
    void redelay(Delivery delivery, TaskEnvelope task, Duration hop) throws Exception {
        outcomes.redelay(task.type(), delivery.props(), delivery.body(), hop);
        delivery.acks().ack(delivery.tag());
    }

    /**
     * A task already finished, dead or cancelled is acknowledged without running; if it belongs to a done batch whose
     * onComplete task is not published yet (whoever ended the batch died first, or it was cancelled), that task is
     * published first, and the message returned to its queue if that fails.
     */
    void skipped(Delivery delivery, TaskEnvelope task, TaskStateWriter.Refusal refusal) {
        LOG.infof("Task %s (%s) is %s; acknowledging without running it", task.id(), task.type(), refusal.status());
        if (refusal.batchDue() != null) {
            try {
                batches.complete(refusal.batchDue()).join();
            } catch (RuntimeException e) {
                LOG.warnf("Returning task %s to its queue: its batch is not completed yet (%s)", task.id(), e);
                delivery.acks().nack(delivery.tag());
                return;
            }
        }
        try {
            // Webhook: enqueued here if the run that ended the task could not (or a cancel's gateway did not).
            webhooks.ensureQueued(task, refusal.status(), delivery.attempt()).join();
        } catch (RuntimeException e) {
            LOG.warnf("Returning task %s to its queue: its webhook is not enqueued yet (%s)", task.id(), e);
            delivery.acks().nack(delivery.tag());
            return;
        }
        delivery.acks().ack(delivery.tag());
    }

    /** Returns the message to its queue, to be delivered again. */
    void returnToQueue(Delivery delivery) {
        delivery.acks().nack(delivery.tag());
    }

    /**
     * Waits until every success whose state write is in flight has been acknowledged; false if some still were not
     * after {@code timeout} (their messages then go back to the queue when the channel closes, and run again).
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (settling) {
            while (settling.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(settling, left);
            }
        }
        return true;
    }

    private void settled() {
        if (settling.decrementAndGet() == 0) {
            synchronized (settling) {
                settling.notifyAll();
            }
        }
    }

    /**
     * Records a failure's outcome and tells the observers, before the caller acknowledges the original message. A
     * dead letter that ends a task batch publishes the batch's onComplete task; if that fails, this throws and the
     * original goes back to its queue: its redelivery finds the task DEAD and tries again. So does a dead task's
     * webhook ({@code body}: the message, read for a poison outcome's callback URL; null otherwise).
     */
    private void finish(TaskOutcome outcome, byte[] body) {
        String batchDue = state.record(outcome).join();
        outcomeEvents.fire(outcome);
        batches.complete(batchDue).join();
        webhooks.enqueue(outcome, body).join();
    }

    /** What replaces a delivery: published and confirmed, its outcome recorded. */
    private interface Successor {
        void publish() throws Exception;
    }

    /** Publishes the successor, then acks; a failed publish returns the message to its queue. */
    private void replace(Delivery delivery, Successor successor) {
        try {
            successor.publish();
        } catch (Exception e) {
            LOG.errorf(
                    "Could not publish a retry or dead letter (%s); returning the message to its queue", e.toString());
            delivery.acks().nack(delivery.tag());
            return;
        }
        delivery.acks().ack(delivery.tag());
    }
}
