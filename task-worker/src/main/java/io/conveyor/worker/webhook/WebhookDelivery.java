package io.conveyor.worker.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.conveyor.amqp.ConfirmingPublisher;
import io.conveyor.model.TaskCallback;
import io.conveyor.model.Topology;
import io.conveyor.webhook.WebhookJob;
import io.conveyor.webhook.WebhookQueue;
import io.conveyor.webhook.WebhookState;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.retry.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Delivers webhook jobs: one consumer channel on {@code conveyor.webhooks} whose prefetch is the webhook concurrency,
 * each job on a virtual thread. A 2xx answer makes the webhook DELIVERED; a failed attempt is republished with the next
 * attempt number to a retry tier (backoff with full jitter, as task retries) and confirmed before the job is
 * acknowledged, so no job waits in memory; after the last attempt, or at once when the failure is permanent (a refused
 * address, no secret, 410 Gone), it is FAILED. Every attempt is recorded on the task's record, best effort.
 */
@ApplicationScoped
public class WebhookDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);

    private final WebhookSender sender;
    private final WebhookSigner signer;
    private final WebhookRecords records;
    private final int maxAttempts;
    private final int concurrency;
    private final Backoff backoff;
    private final Duration confirmTimeout;
    private final Counter delivered;
    private final Counter failed;
    private final Counter retried;

    private volatile Channel channel;
    private volatile String consumerTag;

    public WebhookDelivery(
            WebhookSender sender,
            WebhookSigner signer,
            WebhookRecords records,
            WebhookConfig config,
            WorkerConfig worker,
            MeterRegistry registry) {
        this.sender = sender;
        this.signer = signer;
        this.records = records;
        this.maxAttempts = config.maxAttempts();
        this.concurrency = config.concurrency();
        this.backoff = new Backoff(worker.retry().base(), worker.retry().cap());
        this.confirmTimeout = worker.retry().confirmTimeout();
        this.delivered = Counter.builder("conveyor.webhooks.delivered")
                .description("Webhooks a receiver accepted (2xx)")
                .register(registry);
        this.failed = Counter.builder("conveyor.webhooks.failed")
                .description("Webhooks given up: attempts exhausted or a permanent failure")
                .register(registry);
        this.retried = Counter.builder("conveyor.webhooks.retried")
                .description("Failed webhook attempts sent to a retry tier for another")
                .register(registry);
    }

    /** Starts consuming on a new connection; {@code publisher} (open on it) republishes the retries. */
    void open(Connection connection, ConfirmingPublisher publisher) throws IOException {
        Channel opened = connection.createChannel();
        opened.basicQos(concurrency);
        consumerTag = opened.basicConsume(Topology.WEBHOOK_QUEUE, false, new DefaultConsumer(opened) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                Thread.ofVirtual()
                        .name("conveyor-webhook")
                        .start(() -> deliver(opened, publisher, envelope.getDeliveryTag(), body));
            }
        });
        channel = opened;
    }

    void stop(@Observes ShutdownEvent event) {
        Channel open = channel;
        if (open != null && open.isOpen() && consumerTag != null) {
            try {
                // Jobs in flight finish if they can; unacknowledged ones go back to the queue when the channel closes.
                open.basicCancel(consumerTag);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Cancelling the webhook consumer: %s", e);
            }
        }
    }

    private void deliver(Channel on, ConfirmingPublisher publisher, long tag, byte[] body) {
        WebhookJob job;
        try {
            job = WebhookJob.parse(body);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(
                    "Dropping a message of %s that is not a webhook job: %s", Topology.WEBHOOK_QUEUE, e.getMessage());
            settle(on, tag, true);
            return;
        }
        MDC.put("taskId", job.event().taskId());
        MDC.put("type", job.event().type());
        try {
            attempt(on, publisher, tag, job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settle(on, tag, false);
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "Webhook %s of task %s: returning it to its queue",
                    job.event().id(),
                    job.event().taskId());
            settle(on, tag, false);
        } finally {
            MDC.clear();
        }
    }

    private void attempt(Channel on, ConfirmingPublisher publisher, long tag, WebhookJob job)
            throws InterruptedException {
        Optional<byte[]> key = signer.key(job.client());
        WebhookSender.Attempt result = key.isEmpty()
                ? new WebhookSender.Attempt(
                        WebhookSender.Kind.PERMANENT,
                        "No webhook secret for client '" + WebhookSigner.signer(job.client())
                                + "' in CONVEYOR_WEBHOOK_SECRETS_FILE")
                : sender.send(job, key.get());
        Instant now = Instant.now();
        if (result.kind() == WebhookSender.Kind.DELIVERED) {
            records.write(job, WebhookState.attempt(job, TaskCallback.Status.DELIVERED, null, now));
            delivered.increment();
            LOG.infof(
                    "Webhook %s of task %s delivered on attempt %d",
                    job.event().id(), job.event().taskId(), job.attempt());
            settle(on, tag, true);
        } else if (result.kind() == WebhookSender.Kind.PERMANENT || job.attempt() >= maxAttempts) {
            records.write(job, WebhookState.attempt(job, TaskCallback.Status.FAILED, result.error(), now));
            failed.increment();
            LOG.warnf(
                    "Webhook %s of task %s failed for good after attempt %d/%d: %s",
                    job.event().id(), job.event().taskId(), job.attempt(), maxAttempts, result.error());
            settle(on, tag, true);
        } else {
            Duration tier = backoff.tier(job.attempt(), ThreadLocalRandom.current()::nextDouble);
            try {
                WebhookQueue.retry(publisher, job.next(), tier, confirmTimeout)
                        .get(confirmTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                LOG.warnf(
                        "Could not schedule webhook %s's next attempt (%s); returning it to its queue",
                        job.event().id(), e.toString());
                settle(on, tag, false);
                return;
            }
            records.write(job, WebhookState.attempt(job, TaskCallback.Status.PENDING, result.error(), now));
            retried.increment();
            LOG.infof(
                    "Webhook %s of task %s attempt %d/%d failed (%s); next after %s",
                    job.event().id(), job.event().taskId(), job.attempt(), maxAttempts, result.error(), tier);
            settle(on, tag, true);
        }
    }

    private static void settle(Channel on, long tag, boolean ack) {
        try {
            if (!on.isOpen()) {
                return;
            }
            if (ack) {
                on.basicAck(tag, false);
            } else {
                on.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Settling a webhook job on a closed channel: %s", e);
        }
    }
}
