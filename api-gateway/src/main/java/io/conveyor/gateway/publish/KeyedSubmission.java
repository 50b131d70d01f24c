package io.conveyor.gateway.publish;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.state.IdempotencyKeys;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.state.TaskRecords;
import io.smallrye.mutiny.Uni;

/**
 * Accepting a task with an idempotency key, without blocking: claim the key, record the task QUEUED (without the
 * record the key's promise cannot be kept, so a failed write is a 503), publish, then store the answer under the
 * key. A repeat gets the stored answer; a concurrent repeat polls the key until the first request answered.
 */
@ApplicationScoped
public class KeyedSubmission {

    private static final Logger LOG = Logger.getLogger(KeyedSubmission.class);

    private final TaskPublisher publisher;
    private final TaskStore store;
    private final IdempotencyKeys keys;
    private final Duration patience;

    public KeyedSubmission(TaskPublisher publisher, TaskStore store, IdempotencyKeys keys, GatewayConfig config) {
        this.publisher = publisher;
        this.store = store;
        this.keys = keys;
        this.patience = config.publish().confirmTimeout().plus(config.state().idempotencyWaitMargin());
    }

    /** Submits a task whose {@link ValidatedTask#idempotencyKey()} is set. */
    public Uni<TaskAccepted> submit(ValidatedTask task) {
        String key = task.idempotencyKey();
        String fingerprint = RequestFingerprint.of(task);
        return keys.claim(task.client(), key, fingerprint).flatMap(claim -> {
            if (claim.ours()) {
                return accept(task, key, fingerprint);
            }
            return keys.answerOf(
                            claim,
                            task.client(),
                            key,
                            fingerprint,
                            Instant.now().plus(patience),
                            TaskAccepted.class)
                    .flatMap(previous -> previous != null
                            ? Uni.createFrom().item(previous)
                            // The first request failed and released the key: this one takes its place.
                            : submit(task));
        });
    }

    private Uni<TaskAccepted> accept(ValidatedTask task, String key, String fingerprint) {
        TaskEnvelope envelope = TaskPublisher.envelope(task);
        return store.create(envelope, TaskPublisher.notBefore(envelope, task), task.options())
                .onFailure()
                .call(e -> keys.release(task.client(), key))
                .flatMap(created -> publisher
                        .publish(envelope, task)
                        .onFailure()
                        .call(e -> {
                            store.forgetInBackground(envelope.id());
                            return keys.release(task.client(), key);
                        }))
                .call(accepted -> keys.complete(task.client(), key, fingerprint, TaskRecords.toJson(accepted))
                        .onFailure()
                        .recoverWithUni(e -> {
                            // The task is accepted. Repeats see the key pending until its lease ends, then submit
                            // anew: a second task (IdempotencyKeys.pendingLease).
                            LOG.warnf(
                                    "Could not store the answer for idempotency key %s (task %s): %s; a repeat after"
                                            + " the key's lease submits the task again",
                                    key, envelope.id(), e.toString());
                            return Uni.createFrom().voidItem();
                        }));
    }
}
