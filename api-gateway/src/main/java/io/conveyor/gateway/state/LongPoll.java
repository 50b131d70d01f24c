package io.conveyor.gateway.state;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.BatchView;
import io.conveyor.model.TaskView;
import io.conveyor.model.state.StateKeys;
import io.smallrye.mutiny.Uni;

/** A status read that waits for the task to reach a terminal state, with no thread waiting meanwhile. */
@ApplicationScoped
public class LongPoll {

    private final TaskStore store;
    private final TerminalEvents events;

    public LongPoll(TaskStore store, TerminalEvents events) {
        this.store = store;
        this.events = events;
    }

    /** The task's view as soon as it is terminal, or when {@code wait} ends; null when the task is unknown. */
    public Uni<TaskView> read(String id, Duration wait) {
        return Uni.createFrom().deferred(() -> {
            // Register, and tell the workers someone waits, before reading: a task that finishes in between still
            // wakes us.
            CompletableFuture<Void> finished = events.await(id);
            return store.watch(id, wait)
                    .flatMap(watching -> store.get(id))
                    .flatMap(view -> {
                        if (view == null || view.status().terminal()) {
                            return Uni.createFrom().item(view);
                        }
                        return Uni.createFrom()
                                .completionStage(finished)
                                .ifNoItem()
                                .after(wait)
                                .recoverWithItem((Void) null)
                                .flatMap(ignored -> store.get(id));
                    })
                    .eventually(() -> events.forget(id, finished));
        });
    }

    /** The batch's view as soon as it is done, or when {@code wait} ends; null when the batch is unknown. */
    public Uni<BatchView> readBatch(String id, Duration wait) {
        String event = StateKeys.batchEvent(id);
        return Uni.createFrom().deferred(() -> {
            // As for a task: register and announce before reading, so a batch done in between still wakes us.
            CompletableFuture<Void> finished = events.await(event);
            return store.watch(event, wait)
                    .flatMap(watching -> store.getBatch(id))
                    .flatMap(view -> {
                        if (view == null || view.done()) {
                            return Uni.createFrom().item(view);
                        }
                        return Uni.createFrom()
                                .completionStage(finished)
                                .ifNoItem()
                                .after(wait)
                                .recoverWithItem((Void) null)
                                .flatMap(ignored -> store.getBatch(id));
                    })
                    .eventually(() -> events.forget(event, finished));
        });
    }
}
