package io.conveyor.worker.events;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.event.OutcomeEvent;
import io.conveyor.worker.outcome.TaskOutcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What each kind of TaskOutcome becomes as an OutcomeEvent. */
class OutcomeEventMappingTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    private final TaskEnvelope task =
            new TaskEnvelope("t1", "send_email", Json.mapper().createObjectNode(), 5, AT, "shop", null, "nightly");

    @Test
    void aSuccessCarriesNoError() {
        OutcomeEvent event = OutcomeEvents.of(TaskOutcome.succeeded(task, 2, "sent"), AT);

        assertEquals("t1", event.taskId());
        assertEquals("send_email", event.type());
        assertEquals(TaskStatus.SUCCEEDED, event.status());
        assertEquals(2, event.attempt());
        assertEquals(AT, event.at());
        assertNull(event.error());
        assertEquals("nightly", event.schedule());
        assertNull(event.batch());
        assertEquals("send_email.SUCCEEDED", event.routingKey());
    }

    @Test
    void aRetryAndADeathCarryTheirError() {
        OutcomeEvent retry = OutcomeEvents.of(
                TaskOutcome.retryScheduled(task, 1, new IllegalStateException("smtp down"), AT, AT), AT);
        OutcomeEvent dead = OutcomeEvents.of(TaskOutcome.dead(task, 5, new IllegalStateException("smtp down"), AT), AT);

        assertEquals(TaskStatus.RETRY_SCHEDULED, retry.status());
        assertEquals(new OutcomeEvent.EventError("java.lang.IllegalStateException", "smtp down"), retry.error());
        assertEquals("send_email.DEAD", dead.routingKey());
        assertEquals(5, dead.attempt());
        assertEquals("smtp down", dead.error().message());
        assertNotEquals(retry.id(), dead.id());
    }

    @Test
    void aPoisonMessageIsDeadUnderItsTypeHint() {
        OutcomeEvent event = OutcomeEvents.of(
                TaskOutcome.poison("m1", "resize_image", 1, new IllegalArgumentException("not JSON")), AT);

        assertEquals("m1", event.taskId());
        assertEquals("resize_image.DEAD", event.routingKey());
        assertNull(event.schedule());
        assertEquals("java.lang.IllegalArgumentException", event.error().errorClass());
    }

    @Test
    void aPoisonMessageWithoutTypeIsUnknownAndWithoutIdIsNotPublished() {
        OutcomeEvent untyped = OutcomeEvents.of(TaskOutcome.poison("m1", null, 1, new RuntimeException()), AT);

        assertEquals("unknown.DEAD", untyped.routingKey());
        assertNull(OutcomeEvents.of(TaskOutcome.poison(null, "noop", 1, new RuntimeException()), AT));
    }
}
