package io.conveyor.webhook;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rabbitmq.client.AMQP;

import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.event.OutcomeEvent;

/**
 * One webhook to deliver, the body of a message on {@code conveyor.webhooks}: the outcome event (the POST's body; its
 * id is the {@code webhook-id}, the same on every attempt), where it goes, the client whose secret signs it (null for
 * a task submitted without an API key) and the attempt this message makes (1-based).
 */
public record WebhookJob(OutcomeEvent event, String url, String client, int attempt) {

    /** A new event id. */
    public static String newEventId() {
        return "evt_" + UUID.randomUUID();
    }

    /** The same job, for its next attempt. */
    public WebhookJob next() {
        return new WebhookJob(event, url, client, attempt + 1);
    }

    public byte[] toJson() {
        try {
            return Json.mapper().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A webhook job always serialises", e);
        }
    }

    /** The POST's body: the event alone. */
    public byte[] body() {
        try {
            return Json.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An outcome event always serialises", e);
        }
    }

    /** @throws IOException not a webhook job */
    public static WebhookJob parse(byte[] json) throws IOException {
        WebhookJob job = Json.mapper().readValue(json, WebhookJob.class);
        if (job.event() == null || job.event().id() == null || job.url() == null || job.attempt() < 1) {
            throw new IOException("A webhook job needs an event with an id, a url and an attempt of at least 1");
        }
        return job;
    }

    /** Persistent JSON message properties, {@code message_id} = the event id; extra {@code headers} may be empty. */
    public AMQP.BasicProperties properties(Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(event.id())
                .type("webhook")
                .headers(Map.copyOf(withAttempt(headers)))
                .build();
    }

    private Map<String, Object> withAttempt(Map<String, Object> headers) {
        Map<String, Object> all = new HashMap<>(headers);
        all.put(Headers.ATTEMPT, attempt);
        return all;
    }
}
