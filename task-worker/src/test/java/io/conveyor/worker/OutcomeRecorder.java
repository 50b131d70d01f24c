package io.conveyor.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.awaitility.Awaitility;

import io.conveyor.model.TaskStatus;
import io.conveyor.worker.outcome.TaskOutcome;

/** Test bean recording every attempt's outcome, so tests can wait for a task's fate. */
@ApplicationScoped
public class OutcomeRecorder {

    private final List<TaskOutcome> outcomes = new CopyOnWriteArrayList<>();

    void record(@Observes TaskOutcome outcome) {
        outcomes.add(outcome);
    }

    /** Every task id seen, so tests can remove the state records their tasks left. */
    public List<String> taskIds() {
        return outcomes.stream()
                .map(TaskOutcome::taskId)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
    }

    public List<TaskOutcome> of(String taskId) {
        return outcomes.stream().filter(o -> taskId.equals(o.taskId())).toList();
    }

    /** Waits until the task reached {@code status}; returns its outcomes so far, in order. */
    public List<TaskOutcome> await(String taskId, TaskStatus status, Duration atMost) {
        Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> of(taskId).stream().anyMatch(o -> o.status() == status));
        return of(taskId);
    }
}
