package io.conveyor.gateway.deadletter;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;

/**
 * The recorded state behind dead letters, each call bounded by the dead letters' state timeout: only a replay needs
 * it (a task must read QUEUED before it is republished); listing and discarding go on without it.
 */
@ApplicationScoped
public class DeadLetterStates {

    private static final Logger LOG = Logger.getLogger(DeadLetterStates.class);

    private final TaskStore store;
    private final Duration timeout;

    public DeadLetterStates(TaskStore store, GatewayConfig config) {
        this.store = store;
        this.timeout = config.deadLetters().stateTimeout();
    }

    /** The dead letter with its recorded status and failures; DEAD and none when the store cannot tell. */
    DeadLetter withState(DeadLetter deadLetter) {
        String id = deadLetter.id();
        TaskStatus status = null;
        List<TaskError> failures = List.of();
        try {
            TaskView view = store.get(id).await().atMost(timeout);
            status = view == null ? null : view.status();
            failures = store.failures(id).await().atMost(timeout);
        } catch (RuntimeException e) {
            LOG.debugf("No state for dead letter %s: %s", id, e.toString());
        }
        return deadLetter.withState(status, failures);
    }

    /** DEAD back to QUEUED with attempts reset; fails the replay when the store cannot be written. */
    void requeue(TaskEnvelope task) {
        try {
            store.requeue(task).await().atMost(timeout);
        } catch (RuntimeException e) {
            throw e instanceof StateUnavailableException ? e : new StateUnavailableException(e);
        }
    }

    /** DEAD again, for a replay the broker could not route. */
    void markDeadAgain(String id) {
        try {
            store.markDead(id).await().atMost(timeout);
        } catch (RuntimeException e) {
            LOG.warnf("Task %s stays dead but its state could not be restored: %s", id, e.toString());
        }
    }

    /** Removes the record of a discarded dead letter; without the store it expires by retention. */
    void forget(String id) {
        try {
            store.forget(id).await().atMost(timeout);
        } catch (RuntimeException e) {
            LOG.warnf("Discarded dead letter %s; its state will expire by retention: %s", id, e.toString());
        }
    }
}
