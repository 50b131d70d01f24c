package io.conveyor.gateway.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.state.IdempotencyKeys;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.BatchAccepted;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.state.TaskRecords;
import io.smallrye.mutiny.Uni;

/**
 * Accepting a batch: record the batch and every task QUEUED (each naming the batch), then publish all tasks at once
 * and answer when the broker confirmed every one. Unlike a single task the records come first, not alongside the
 * publish: a worker that ends a task must find it counted in its batch. If no task could be published nothing stays
 * behind and the broker's failure is answered, as for a task; if only some could, those are cancelled and
 * {@link BatchPartlyAcceptedException} names the batch. An idempotency key works as on a task ({@link
 * KeyedSubmission}): the same key and batch get the first answer, the same key with another request is refused.
 */
@ApplicationScoped
public class BatchSubmission {

    private static final Logger LOG = Logger.getLogger(BatchSubmission.class);

    private final TaskPublisher publisher;
    private final TaskStore store;
    private final IdempotencyKeys keys;
    private final BatchCompletion completion;
    private final Duration patience;

    public BatchSubmission(
            TaskPublisher publisher,
            TaskStore store,
            IdempotencyKeys keys,
            BatchCompletion completion,
            GatewayConfig config) {
        this.publisher = publisher;
        this.store = store;
        this.keys = keys;
        this.completion = completion;
        this.patience = config.publish().confirmTimeout().plus(config.state().idempotencyWaitMargin());
    }

    public Uni<BatchAccepted> submit(BatchRequest batch) {
        if (batch.idempotencyKey() == null) {
            return accept(batch);
        }
        String key = batch.idempotencyKey();
        String fingerprint = fingerprint(batch);
        return keys.claim(batch.client(), key, fingerprint).flatMap(claim -> {
            if (claim.ours()) {
                return accept(batch)
                        .onFailure()
                        .call(e -> keys.release(batch.client(), key))
                        .call(accepted -> keys.complete(batch.client(), key, fingerprint, TaskRecords.toJson(accepted))
                                .onFailure()
                                .recoverWithUni(e -> {
                                    LOG.warnf("Could not store the answer for idempotency key %s: %s", key, e);
                                    return Uni.createFrom().voidItem();
                                }));
            }
            return keys.answerOf(
                            claim,
                            batch.client(),
                            key,
                            fingerprint,
                            Instant.now().plus(patience),
                            BatchAccepted.class)
                    .flatMap(previous -> previous != null
                            ? Uni.createFrom().item(previous)
                            // The first request failed and released the key: this one takes its place.
                            : submit(batch));
        });
    }

    /** "The same batch": every task's type, payload and options in order, and the onComplete task's. */
    static String fingerprint(BatchRequest batch) {
        StringBuilder text = new StringBuilder("batch\n");
        batch.tasks().forEach(task -> text.append(RequestFingerprint.of(task)).append('\n'));
        text.append("onComplete\n");
        if (batch.onComplete() != null) {
            text.append(RequestFingerprint.of(batch.onComplete()));
        }
        return IdempotencyKeys.fingerprint(text.toString());
    }

    private Uni<BatchAccepted> accept(BatchRequest batch) {
        String id = TaskIds.next();
        Instant now = Instant.now();
        List<TaskEnvelope> envelopes = new ArrayList<>(batch.tasks().size());
        List<TaskStore.NewTask> members = new ArrayList<>(batch.tasks().size());
        for (ValidatedTask task : batch.tasks()) {
            TaskEnvelope envelope = TaskPublisher.envelope(task);
            envelopes.add(envelope);
            members.add(new TaskStore.NewTask(envelope, TaskPublisher.notBefore(envelope, task), task.options()));
        }
        ValidatedTask then = batch.onComplete();
        TaskStore.NewTask onComplete =
                then == null ? null : new TaskStore.NewTask(TaskPublisher.envelope(then), null, then.options());
        List<String> ids = envelopes.stream().map(TaskEnvelope::id).toList();
        return store.createBatch(id, now, batch.client(), members, onComplete, then == null ? null : then.priority())
                .flatMap(created -> publishAll(id, envelopes, batch.tasks()))
                .replaceWith(() -> new BatchAccepted(id, ids.size(), ids));
    }

    /** Publishes every task together: one wave of confirms, not one round trip after another. */
    private Uni<Void> publishAll(String batchId, List<TaskEnvelope> envelopes, List<ValidatedTask> tasks) {
        List<Uni<Optional<Throwable>>> publishes = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            publishes.add(publisher
                    .publish(envelopes.get(i), tasks.get(i))
                    .map(accepted -> Optional.<Throwable>empty())
                    .onFailure()
                    .recoverWithItem(Optional::of));
        }
        return Uni.join().all(publishes).andFailFast().flatMap(outcomes -> {
            List<String> failed = new ArrayList<>();
            Throwable first = null;
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).isPresent()) {
                    failed.add(envelopes.get(i).id());
                    first = first == null ? outcomes.get(i).get() : first;
                }
            }
            if (failed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Throwable cause = first;
            if (failed.size() == envelopes.size()) {
                // Nothing was published: nothing stays behind, and the client gets the broker's answer as for a task.
                return store.forgetBatch(batchId, failed)
                        .onFailure()
                        .recoverWithNull()
                        .flatMap(ignored -> Uni.createFrom().failure(cause));
            }
            return cancelUnpublished(batchId, failed)
                    .flatMap(ignored -> Uni.createFrom()
                            .failure(
                                    new BatchPartlyAcceptedException(batchId, failed.size(), envelopes.size(), cause)));
        });
    }

    /** Cancels the tasks the broker did not take, so the batch still ends when the published ones do. */
    private Uni<Void> cancelUnpublished(String batchId, List<String> failed) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String taskId : failed) {
            chain = chain.call(() -> store.cancel(taskId)
                    .invoke(answer -> completion.completeInBackground(answer.get(2)))
                    .onFailure()
                    .invoke(e -> LOG.warnf(
                            "Batch %s: could not cancel its unpublished task %s: %s", batchId, taskId, e.toString()))
                    .onFailure()
                    .recoverWithNull());
        }
        return chain;
    }
}
