package io.conveyor.worker.events;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.event.EventMessages;
import io.conveyor.model.event.OutcomeEvent;
import io.conveyor.worker.outcome.TaskOutcome;

/**
 * Publishes the worker's outcome events: SUCCEEDED and DEAD (a poison message included) for every attempt that ends
 * a task, RUNNING and RETRY_SCHEDULED too when {@code CONVEYOR_EVENTS_TRANSITIONS=true}; nothing when {@code
 * CONVEYOR_EVENTS_ENABLED=false}. Runs on the settling thread (or the handler's, for RUNNING) and only hands the
 * event to {@link EventPublisher}: no Redis read, no broker wait. A worker does not know a task's batch without
 * reading its record, so its events carry none.
 */
@ApplicationScoped
public class OutcomeEvents {

    /** The type of a poison message whose headers and routing key name none. */
    static final String UNKNOWN_TYPE = "unknown";

    private final EventPublisher publisher;
    private final boolean enabled;
    private final boolean transitions;

    public OutcomeEvents(EventPublisher publisher, EventsConfig config) {
        this.publisher = publisher;
        this.enabled = config.enabled();
        this.transitions = config.enabled() && config.transitions();
    }

    void outcome(@Observes TaskOutcome outcome) {
        if (!enabled || (outcome.status() == TaskStatus.RETRY_SCHEDULED && !transitions)) {
            return;
        }
        OutcomeEvent event = of(outcome, Instant.now());
        if (event != null) {
            publisher.publish(event);
        }
    }

    /** An attempt of {@code task} started at {@code at} (its RUNNING write answered or given up, not refused). */
    public void running(TaskEnvelope task, int attempt, Instant at) {
        if (transitions) {
            publisher.publish(EventMessages.event(
                    task.id(), task.type(), TaskStatus.RUNNING, attempt, at, null, task.schedule(), null));
        }
    }

    /**
     * The event of an attempt's outcome, at {@code at}; null for a poison message without a message id. A poison
     * message whose type cannot be told is published as type {@value #UNKNOWN_TYPE}.
     */
    static OutcomeEvent of(TaskOutcome outcome, Instant at) {
        if (outcome.taskId() == null) {
            return null;
        }
        String type = outcome.type() == null || outcome.type().isBlank() ? UNKNOWN_TYPE : outcome.type();
        TaskEnvelope task = outcome.task();
        return EventMessages.event(
                outcome.taskId(),
                type,
                outcome.status(),
                outcome.attempt(),
                at,
                outcome.error(),
                task == null ? null : task.schedule(),
                null);
    }
}
