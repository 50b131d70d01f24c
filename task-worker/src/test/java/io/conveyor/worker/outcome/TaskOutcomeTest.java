package io.conveyor.worker.outcome;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Each kind of outcome carries what its observers read, and nothing else. */
class TaskOutcomeTest {

    private final TaskEnvelope task = envelope();
    private final RuntimeException error = new RuntimeException("boom");

    @Test
    void succeededCarriesTheResultAndNoError() {
        TaskOutcome outcome = TaskOutcome.succeeded(task, 2, "result");

        assertEquals(
                new TaskOutcome(task.id(), "noop", 2, TaskStatus.SUCCEEDED, "result", null, null, task, null), outcome);
    }

    @Test
    void retryScheduledCarriesTheErrorAndWhenTheNextAttemptIsDue() {
        Instant due = Instant.parse("2026-01-01T00:00:05Z");
        Instant started = Instant.parse("2026-01-01T00:00:01Z");

        TaskOutcome outcome = TaskOutcome.retryScheduled(task, 1, error, due, started);

        assertEquals(
                new TaskOutcome(task.id(), "noop", 1, TaskStatus.RETRY_SCHEDULED, null, error, due, task, started),
                outcome);
    }

    @Test
    void deadCarriesTheErrorTheTaskAndTheAttemptsStart() {
        Instant started = Instant.parse("2026-01-01T00:00:01Z");
        TaskOutcome outcome = TaskOutcome.dead(task, 3, error, started);

        assertEquals(new TaskOutcome(task.id(), "noop", 3, TaskStatus.DEAD, null, error, null, task, started), outcome);
    }

    @Test
    void poisonHasNoTaskOnlyTheMessagesIdAndTypeHint() {
        TaskOutcome outcome = TaskOutcome.poison("m-1", "noop", 1, error);

        assertEquals("m-1", outcome.taskId());
        assertEquals(TaskStatus.DEAD, outcome.status());
        assertSame(error, outcome.error());
        assertNull(outcome.task());
    }

    private static TaskEnvelope envelope() {
        return new TaskEnvelope("t-1", "noop", Json.mapper().createObjectNode(), 3, Instant.now());
    }
}
