package io.conveyor.gateway.publish;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskEnvelope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;

/**
 * Accepting a task: record it QUEUED and publish it with confirm; a task with an idempotency key goes through
 * {@link KeyedSubmission}. If the publish fails nothing stays behind, so the 503 the client gets is true. Fails
 * with the broker's and the state store's own exceptions, and with the idempotency key's; never with HTTP.
 */
@ApplicationScoped
public class TaskSubmission {

    private static final Logger LOG = Logger.getLogger(TaskSubmission.class);

    private final TaskPublisher publisher;
    private final TaskStore store;
    private final KeyedSubmission keyed;

    public TaskSubmission(TaskPublisher publisher, TaskStore store, KeyedSubmission keyed) {
        this.publisher = publisher;
        this.store = store;
        this.keyed = keyed;
    }

    /** Submits a validated task, honouring its idempotency key when it has one. */
    public Uni<TaskAccepted> submit(ValidatedTask task) {
        return task.idempotencyKey() == null ? acceptWithoutKey(task) : keyed.submit(task);
    }

    /** A publish's outcome, so that waiting for the record does not depend on whether the publish failed. */
    private record Published(TaskAccepted accepted, Throwable failure) {}

    /**
     * The hot path, on the event loop and without blocking: the QUEUED record and the publish go out together, and
     * the request is answered when the broker confirmed and the record is written (or known to have failed), so
     * the client waits for the slower of the two, not for both in turn. A worker may run the task before its
     * record is written: the record then exists (RUNNING or later) and creating it changes nothing.
     */
    private Uni<TaskAccepted> acceptWithoutKey(ValidatedTask task) {
        return submit(TaskPublisher.envelope(task), task);
    }

    /**
     * Submits a task whose envelope the caller made (a schedule's tick: its id fixed in advance, its schedule named),
     * as a task without an idempotency key is: recorded QUEUED and published together; a failed publish removes the
     * record. A record that exists already is left as it is.
     */
    public Uni<TaskAccepted> submit(TaskEnvelope envelope, ValidatedTask task) {
        Uni<Boolean> recorded = store.create(envelope, TaskPublisher.notBefore(envelope, task), task.options())
                .map(created -> true)
                .onFailure()
                .recoverWithItem(e -> {
                    // The broker is the source of truth for delivery: accept the task, its state appears when a worker
                    // runs it.
                    LOG.warnf(
                            "State store unavailable; accepting task %s without its QUEUED record: %s",
                            envelope.id(), e.toString());
                    return false;
                });
        Uni<Published> published = publisher
                .publish(envelope, task)
                .map(accepted -> new Published(accepted, null))
                .onFailure()
                .recoverWithItem(e -> new Published(null, e));
        return Uni.combine().all().unis(recorded, published).asTuple().flatMap(both -> settle(envelope, both));
    }

    private Uni<TaskAccepted> settle(TaskEnvelope envelope, Tuple2<Boolean, Published> both) {
        Published published = both.getItem2();
        if (published.failure() == null) {
            return Uni.createFrom().item(published.accepted());
        }
        if (both.getItem1()) {
            store.forgetInBackground(envelope.id());
        }
        return Uni.createFrom().failure(published.failure());
    }
}
