package io.conveyor.gateway.publish;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** What counts as "the same request" for an idempotency key, without a broker or Redis. */
class RequestFingerprintTest {

    private static final TaskCatalogue CATALOGUE = TaskCatalogue.load();

    @Test
    void whereTheKeyCameFromAndTheTraceDoNotMatter() throws Exception {
        ValidatedTask viaHeader = task("sleep", "{\"duration\":\"PT1S\"}", 3, null, "trace-a", "k");
        ValidatedTask viaOptions = task("sleep", "{\"duration\":\"PT1S\"}", 3, null, "trace-b", "k");
        assertEquals(RequestFingerprint.of(viaHeader), RequestFingerprint.of(viaOptions));
    }

    @Test
    void typePayloadAndOptionsDo() throws Exception {
        String base = RequestFingerprint.of(task("sleep", "{\"duration\":\"PT1S\"}", 3, null, null, "k"));
        assertNotEquals(base, RequestFingerprint.of(task("sleep", "{\"duration\":\"PT2S\"}", 3, null, null, "k")));
        assertNotEquals(base, RequestFingerprint.of(task("sleep", "{\"duration\":\"PT1S\"}", 4, null, null, "k")));
        assertNotEquals(
                base,
                RequestFingerprint.of(task("sleep", "{\"duration\":\"PT1S\"}", 3, Duration.ofSeconds(5), null, "k")));
        assertNotEquals(base, RequestFingerprint.of(task("noop", "{}", 3, null, null, "k")));
    }

    private static ValidatedTask task(
            String type, String payload, int maxAttempts, Duration delay, String traceparent, String key)
            throws Exception {
        TaskType taskType = CATALOGUE.find(type).orElseThrow();
        JsonNode tree = Json.mapper().readTree(payload);
        return new ValidatedTask(taskType, tree, maxAttempts, delay, null, traceparent, key, null);
    }
}
