package io.conveyor.cli;

import java.time.Duration;

import io.conveyor.client.ConveyorClient;
import io.conveyor.model.TaskView;

/** Waiting for a task's outcome, with or without the progress display. */
final class Waits {

    /** How often the progress display learns the task's state: the long poll of one redraw. */
    static final Duration TICK = Duration.ofSeconds(1);

    private Waits() {}

    /**
     * Waits up to {@code timeout} for the task to finish and answers the last view. Without a display, one {@link
     * ConveyorClient#await} (long polls of up to 60 s); with one, long polls of {@link #TICK}, each redrawing it.
     */
    static TaskView await(ConveyorClient client, String id, Duration timeout, Progress progress) {
        if (!progress.enabled()) {
            return client.await(id, timeout);
        }
        long started = System.nanoTime();
        Duration elapsed = Duration.ZERO;
        TaskView last;
        try {
            while (true) {
                Duration remaining = timeout.minus(elapsed);
                last = client.await(id, remaining.compareTo(TICK) < 0 ? remaining : TICK);
                elapsed = Duration.ofNanos(System.nanoTime() - started);
                progress.show(last, elapsed);
                if (last.status().terminal() || elapsed.compareTo(timeout) >= 0) {
                    return last;
                }
            }
        } finally {
            progress.done();
        }
    }

    /** Tells the user that the wait ran out and how to wait again; answers the exit code for the view. */
    static int outcome(ConveyorCommand conveyor, TaskView view, Duration waited) {
        if (!view.status().terminal()) {
            conveyor.note("task " + view.id() + " is still " + view.status() + " after " + Progress.elapsed(waited)
                    + "; `conveyor wait " + view.id() + "` waits again");
        }
        return ExitCodes.of(view.status());
    }
}
