package io.conveyor.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.Topology;
import io.conveyor.model.state.BatchRecords;
import io.conveyor.model.state.Scripts;

/**
 * Publishes a done batch's onComplete task, exactly once, from whichever process learnt that the batch is done: the
 * worker that ended its last member, a gateway that cancelled it, or the redelivery of a member's message after one
 * of those died in between (README, "Batches"). Three steps:
 *
 * <ol>
 *   <li>claim (batch-claim.lua): only while the batch is done and its task unpublished, and only for one claimant
 *       at a time, under a lease; the claim also records the task QUEUED under its pre-assigned id;
 *   <li>publish it and wait for the broker's confirm;
 *   <li>mark it published (batch-settle.lua), after which every claim answers {@code fired}; a failed publish
 *       releases the claim instead, so the next claimant tries again.
 * </ol>
 *
 * A claimant that finds the claim held waits for the lease: if the holder died before publishing, the lease
 * expires and this one publishes. The caller acknowledges the member's message only after {@link #complete}, so
 * until the task is published there is always a message that will bring a claimant back. Only a process dying
 * between the broker's confirm and step 3 makes a second publish possible; that copy carries the same task id, and
 * a worker skips a task whose record is terminal already.
 */
public final class BatchCompleter {

    private static final Logger LOG = Logger.getLogger(BatchCompleter.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Runs a Lua script: the app's own Redis client, answering the script's array reply as strings. */
    @FunctionalInterface
    public interface ScriptRunner {
        CompletionStage<List<String>> run(String script, List<String> keys, List<String> args);
    }

    private final ScriptRunner redis;
    private final ConfirmingPublisher publisher;
    private final Duration confirmTimeout;
    private final Duration lease;

    /** A lease long enough for a publish to be confirmed or time out, short enough to replace a dead holder soon. */
    public BatchCompleter(ScriptRunner redis, ConfirmingPublisher publisher, Duration confirmTimeout) {
        this(redis, publisher, confirmTimeout, confirmTimeout.plusSeconds(5));
    }

    public BatchCompleter(ScriptRunner redis, ConfirmingPublisher publisher, Duration confirmTimeout, Duration lease) {
        this.redis = redis;
        this.publisher = publisher;
        this.confirmTimeout = confirmTimeout;
        this.lease = lease;
    }

    /**
     * Publishes the batch's onComplete task if the batch is done and it is not published yet; completes once it is
     * (by this call or another), or when there is nothing to do. Fails when the publish failed: the caller should
     * then leave the member's message unacknowledged, so it is tried again.
     */
    public CompletableFuture<Void> complete(String batchId) {
        if (batchId == null || batchId.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String token = UUID.randomUUID().toString();
        return attempt(batchId, token, Instant.now().plus(lease.multipliedBy(2)));
    }

    private CompletableFuture<Void> attempt(String batchId, String token, Instant giveUpAt) {
        return redis.run(
                        Scripts.BATCH_CLAIM,
                        BatchRecords.claimKeys(batchId),
                        List.of(token, String.valueOf(lease.toMillis())))
                .thenApply(BatchRecords::claim)
                .toCompletableFuture()
                .thenCompose(claim -> {
                    if (claim.due()) {
                        return publish(batchId, token, claim);
                    }
                    if (claim.busy()) {
                        if (Instant.now().isAfter(giveUpAt)) {
                            return CompletableFuture.failedFuture(
                                    new IllegalStateException("The onComplete task of batch " + batchId
                                            + " is claimed by a publisher that" + " neither published it nor let go"));
                        }
                        return CompletableFuture.supplyAsync(
                                        () -> null,
                                        CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> attempt(batchId, token, giveUpAt));
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }

    private CompletableFuture<Void> publish(String batchId, String token, BatchRecords.Claim claim) {
        CompletableFuture<Void> confirmed;
        TaskEnvelope task = null;
        try {
            task = Json.mapper().readValue(claim.envelopeJson(), TaskEnvelope.class);
            AMQP.BasicProperties props = TaskMessages.properties(task, 1, claim.priority(), Map.of());
            confirmed = publisher
                    .publish(
                            Topology.TASKS_EXCHANGE,
                            task.type(),
                            props,
                            claim.envelopeJson().getBytes(StandardCharsets.UTF_8))
                    .orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        String taskId = task == null ? "?" : task.id();
        return confirmed.handle((ok, failure) -> failure).thenCompose(failure -> {
            String outcome = failure == null ? "fired" : "release";
            CompletableFuture<Void> settled = redis.run(
                            Scripts.BATCH_SETTLE,
                            BatchRecords.claimKeys(batchId),
                            List.of(outcome, token, String.valueOf(System.currentTimeMillis())))
                    .toCompletableFuture()
                    .thenApply(answer -> null);
            if (failure == null) {
                LOG.infof("Batch %s is done; published its onComplete task %s", batchId, taskId);
                return settled;
            }
            LOG.warnf("Could not publish the onComplete task %s of batch %s: %s", taskId, batchId, failure.toString());
            return settled.handle((ignored, e) -> null)
                    .thenCompose(ignored -> CompletableFuture.<Void>failedFuture(failure));
        });
    }
}
