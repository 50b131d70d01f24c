package io.conveyor.worker.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import io.conveyor.amqp.ConfirmingPublisher;
import io.conveyor.amqp.DeadLetterFormat;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.model.Headers;
import io.conveyor.model.Topology;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.config.WorkerIdentity;
import io.conveyor.worker.retry.Backoff;

/**
 * Publishes what a delivery turns into (a retry, a re-delay or a dead letter) and waits for the broker's
 * confirm, so the caller acknowledges the original only once its successor is safely stored.
 */
@ApplicationScoped
public class Outcomes {

    private static final Logger LOG = Logger.getLogger(Outcomes.class);

    private final ConfirmingPublisher publisher;
    private final Backoff backoff;
    private final Duration confirmTimeout;
    private final String worker;

    public Outcomes(WorkerConfig config, WorkerIdentity identity) {
        this.publisher = new ConfirmingPublisher(config.retry().channels());
        this.backoff = new Backoff(config.retry().base(), config.retry().cap());
        this.confirmTimeout = config.retry().confirmTimeout();
        this.worker = identity.name();
    }

    ConfirmingPublisher publisher() {
        return publisher;
    }

    /** Sends the task to a retry tier for its next attempt; returns the tier it waits in. */
    Duration retry(String type, AMQP.BasicProperties props, byte[] body, int failedAttempt) throws Exception {
        Duration tier = backoff.tier(failedAttempt, ThreadLocalRandom.current()::nextDouble);
        Map<String, Object> headers = copy(props);
        headers.put(Headers.ATTEMPT, failedAttempt + 1);
        headers.remove(Headers.NOT_BEFORE);
        delay(type, props, headers, body, tier);
        return tier;
    }

    /** Sends an early delayed task back to wait, towards its not-before time. */
    void redelay(String type, AMQP.BasicProperties props, byte[] body, Duration hop) throws Exception {
        delay(type, props, copy(props), body, hop);
    }

    /**
     * Publishes the dead letter of a delivery; {@code routingKey} is the one the delivery had.
     *
     * <p>A dead letter the broker refuses (routes nowhere, or nacks) is not kept, and the task is settled DEAD all the
     * same: on a cluster, {@code conveyor.dead} (a classic queue) is unavailable while its node is down, and returning the message
     * instead would redeliver it at once, again and again, until its queue's delivery limit dropped it with no state
     * at all. The task's record keeps its error and its payload; only the copy to browse and replay is missing.
     */
    void deadLetter(
            String routingKey, AMQP.BasicProperties props, byte[] body, Throwable error, String reason, int attempt)
            throws Exception {
        try {
            publish(
                    Topology.DEAD_LETTER_EXCHANGE,
                    DeadLetterFormat.typeOf(props, routingKey),
                    DeadLetterFormat.write(props, routingKey, error, reason, attempt, worker, Instant.now()),
                    body);
        } catch (ExecutionException e) {
            // Unroutable (the queue's node was killed) or nacked (it is stopping, or down): either way the broker
            // answered that it did not keep the dead letter.
            if (e.getCause() instanceof PublishRejectedException rejected) {
                LOG.errorf(
                        "The dead letter of task %s could not be kept (%s: is the node of %s down?); the task is"
                                + " recorded DEAD without it",
                        props.getMessageId(), rejected.getMessage(), Topology.DEAD_QUEUE);
                return;
            }
            throw e;
        }
    }

    private void delay(String type, AMQP.BasicProperties props, Map<String, Object> headers, byte[] body, Duration tier)
            throws Exception {
        headers.put(Headers.RETRY_TIER, Topology.tierLabel(tier));
        // The routing key is the task queue's name: on expiry the tier dead-letters to the default exchange,
        // which delivers to that queue only.
        // Queue latency counts from when the message re-enters its task queue.
        headers.put(Headers.ENQUEUED_AT, System.currentTimeMillis() + tier.toMillis());
        publish(
                Topology.RETRY_EXCHANGE,
                Topology.taskQueue(type),
                props.builder().headers(headers).build(),
                body);
    }

    private void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) throws Exception {
        publisher.publish(exchange, routingKey, props, body).get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<String, Object> copy(AMQP.BasicProperties props) {
        return new HashMap<>(props.getHeaders() == null ? Map.of() : props.getHeaders());
    }
}
