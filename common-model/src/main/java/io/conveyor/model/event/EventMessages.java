package io.conveyor.model.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.model.Json;
import io.conveyor.model.TaskStatus;

/**
 * How both apps build an {@link OutcomeEvent} and its message body: one fresh id per event, the error cut to a
 * short, stackless summary, the JSON in the one dialect of the wire (empty fields absent).
 */
public final class EventMessages {

    /** The longest error message an event carries, in characters; longer ones are cut and end with "…". */
    public static final int MAX_ERROR_MESSAGE = 500;

    /** The content type of every event message. */
    public static final String CONTENT_TYPE = "application/json";

    private EventMessages() {}

    /** An event with a fresh id. */
    public static OutcomeEvent event(
            String taskId,
            String type,
            TaskStatus status,
            int attempt,
            Instant at,
            Throwable error,
            String schedule,
            String batch) {
        return new OutcomeEvent(
                UUID.randomUUID().toString(), taskId, type, status, attempt, at, error(error), schedule, batch);
    }

    /** The class and (cut) message of {@code error}, never its stack; null for none. */
    public static OutcomeEvent.EventError error(Throwable error) {
        if (error == null) {
            return null;
        }
        return new OutcomeEvent.EventError(error.getClass().getName(), cut(error.getMessage()));
    }

    /** The message body: the event as JSON, UTF-8. */
    public static byte[] json(OutcomeEvent event) {
        try {
            return Json.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            // Strings, numbers, an enum and an Instant: this cannot happen short of a broken mapper.
            throw new IllegalStateException("An outcome event does not serialise", e);
        }
    }

    static String cut(String message) {
        if (message == null || message.length() <= MAX_ERROR_MESSAGE) {
            return message;
        }
        int end = MAX_ERROR_MESSAGE - 1;
        // Never split a surrogate pair.
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--;
        }
        return message.substring(0, end) + "…";
    }
}
