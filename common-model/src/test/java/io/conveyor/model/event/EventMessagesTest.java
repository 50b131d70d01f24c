package io.conveyor.model.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An event's body is small, stackless JSON, with a fresh id each time. */
class EventMessagesTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:15:30.123Z");

    @Test
    void writesTheEventAsJsonWithoutEmptyFields() throws Exception {
        OutcomeEvent event = EventMessages.event("t1", "send_email", TaskStatus.SUCCEEDED, 2, AT, null, null, null);

        JsonNode json = Json.mapper().readTree(EventMessages.json(event));

        assertEquals(event.id(), json.get("id").asText());
        assertEquals("t1", json.get("taskId").asText());
        assertEquals("send_email", json.get("type").asText());
        assertEquals("SUCCEEDED", json.get("status").asText());
        assertEquals(2, json.get("attempt").asInt());
        assertEquals("2026-12-03T10:15:30.123Z", json.get("at").asText());
        assertFalse(json.has("error"));
        assertFalse(json.has("schedule"));
        assertFalse(json.has("batch"));
        assertEquals("send_email.SUCCEEDED", event.routingKey());
    }

    @Test
    void everyEventHasItsOwnId() {
        OutcomeEvent one = EventMessages.event("t1", "noop", TaskStatus.DEAD, 1, AT, null, null, null);
        OutcomeEvent two = EventMessages.event("t1", "noop", TaskStatus.DEAD, 1, AT, null, null, null);

        assertNotEquals(one.id(), two.id());
    }

    @Test
    void anErrorIsItsClassAndACutMessageNeverItsStack() throws Exception {
        String longMessage = "x".repeat(5_000);
        OutcomeEvent event = EventMessages.event(
                "t1", "fail", TaskStatus.DEAD, 3, AT, new IllegalStateException(longMessage), "nightly", "b1");

        JsonNode json = Json.mapper().readTree(EventMessages.json(event));

        assertEquals(
                "java.lang.IllegalStateException",
                json.get("error").get("errorClass").asText());
        String message = json.get("error").get("message").asText();
        assertEquals(EventMessages.MAX_ERROR_MESSAGE, message.length());
        assertTrue(message.endsWith("…"));
        assertEquals(2, json.get("error").size(), "class and message only: " + json.get("error"));
        assertEquals("nightly", json.get("schedule").asText());
        assertEquals("b1", json.get("batch").asText());
        assertTrue(new String(EventMessages.json(event), StandardCharsets.UTF_8).length() < 1_000);
    }

    @Test
    void keepsAShortMessageAndANullOne() {
        assertEquals("boom", EventMessages.error(new RuntimeException("boom")).message());
        assertNull(EventMessages.error(new RuntimeException()).message());
        assertNull(EventMessages.error(null));
    }

    @Test
    void neverSplitsASurrogatePair() {
        String message = "a".repeat(EventMessages.MAX_ERROR_MESSAGE - 2) + "😀".repeat(10);

        String cut = EventMessages.cut(message);

        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 2)), cut.substring(cut.length() - 3));
        assertTrue(cut.length() <= EventMessages.MAX_ERROR_MESSAGE);
    }
}
