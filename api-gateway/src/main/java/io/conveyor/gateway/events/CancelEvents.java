package io.conveyor.gateway.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.conveyor.gateway.state.TaskCancelled;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.event.EventMessages;
import io.conveyor.model.event.OutcomeEvent;

/**
 * Publishes a CANCELLED event for every cancel that moved a task (the API's, the console's, a batch's), unless
 * {@code CONVEYOR_EVENTS_ENABLED=false}. The cancel answer knows only the id, so the task's record is read (one Redis
 * call, in the background: the cancel's answer does not wait for it) for its type, attempts, schedule and batch.
 */
@ApplicationScoped
public class CancelEvents {

    private final EventPublisher publisher;
    private final TaskStore store;
    private final boolean enabled;

    public CancelEvents(EventPublisher publisher, TaskStore store, EventsConfig config) {
        this.publisher = publisher;
        this.store = store;
        this.enabled = config.enabled();
    }

    void cancelled(@Observes TaskCancelled cancel) {
        if (!enabled) {
            return;
        }
        store.get(cancel.taskId())
                .subscribe()
                .with(
                        view -> {
                            if (view == null) {
                                publisher.unreadable(new IllegalStateException(
                                        "task " + cancel.taskId() + " expired right after its cancel"));
                            } else {
                                publisher.publish(of(cancel, view));
                            }
                        },
                        publisher::unreadable);
    }

    /** The CANCELLED event of {@code view}'s task, cancelled as {@code cancel} says. */
    static OutcomeEvent of(TaskCancelled cancel, TaskView view) {
        return EventMessages.event(
                cancel.taskId(),
                view.type(),
                TaskStatus.CANCELLED,
                view.attempts(),
                cancel.at(),
                null,
                view.schedule(),
                view.batch());
    }
}
