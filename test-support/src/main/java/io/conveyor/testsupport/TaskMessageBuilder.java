package io.conveyor.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.amqp.TaskMessages;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.Topology;

/** Fluent fixture for a task message as the gateway would publish it: {@code aTask().ofType("noop").atAttempt(3)}. */
public final class TaskMessageBuilder {

    private String id = UUID.randomUUID().toString();
    private String type = "noop";
    private String payloadJson = "{}";
    private int attempt = 1;
    private int maxAttempts = 3;
    private final Map<String, Object> headers = new HashMap<>();

    private TaskMessageBuilder() {}

    public static TaskMessageBuilder aTask() {
        return new TaskMessageBuilder();
    }

    public TaskMessageBuilder ofType(String type) {
        this.type = type;
        return this;
    }

    public TaskMessageBuilder withPayload(String json) {
        this.payloadJson = json;
        return this;
    }

    public TaskMessageBuilder atAttempt(int attempt) {
        this.attempt = attempt;
        return this;
    }

    public TaskMessageBuilder withMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    public TaskMessageBuilder withHeader(String name, Object value) {
        headers.put(name, value);
        return this;
    }

    public String id() {
        return id;
    }

    public byte[] body() {
        try {
            JsonNode payload = Json.mapper().readTree(payloadJson);
            return Json.mapper().writeValueAsBytes(new TaskEnvelope(id, type, payload, maxAttempts, Instant.now()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Fixture payload is not JSON: " + payloadJson, e);
        }
    }

    /** Publishes to {@code conveyor.tasks} with the type as routing key; returns the task id. */
    public String publishTo(LocalBroker broker) {
        return publishTo(broker, body());
    }

    /** Publishes {@code body} (valid or not) with this task's properties. */
    public String publishTo(LocalBroker broker, byte[] body) {
        TaskEnvelope envelope = new TaskEnvelope(id, type, null, maxAttempts, Instant.now());
        broker.publish(Topology.TASKS_EXCHANGE, type, TaskMessages.properties(envelope, attempt, null, headers), body);
        return id;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
