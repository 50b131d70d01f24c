package io.conveyor.gateway.state;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.KeptOptions;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the operator console reads of a task ({@link TaskStore#detail}), against the real Redis: the payload and
 * options the gateway recorded, who runs the latest attempt since when, and each failed attempt with its start.
 */
@QuarkusTest
class TaskStoreDetailTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskStore store;

    private static TaskEnvelope task(String payloadJson) throws Exception {
        String id = services.track(UUID.randomUUID().toString());
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new TaskEnvelope(id, "noop", Json.mapper().readTree(payloadJson), 3, created, "acme");
    }

    @Test
    void readsBackThePayloadOptionsWorkerAndFailuresOfATask() throws Exception {
        TaskEnvelope task = task("{\"to\":\"ops@example.com\",\"n\":[1,2]}");
        KeptOptions options = KeptOptions.of(new TaskOptions(3, Duration.ofSeconds(30), 4, "key-1"), null);
        assertTrue(store.create(task, null, options).await().atMost(WAIT));

        TaskDetail queued = store.detail(task.id()).await().atMost(WAIT);
        assertEquals(TaskStatus.QUEUED, queued.view().status());
        assertEquals(task.payload(), queued.payload());
        assertNull(queued.payloadBytes());
        assertEquals(Json.mapper().readTree(TaskRecords.toJson(options)), queued.options());
        assertEquals("PT30S", queued.options().get("delay").asText());
        assertNull(queued.worker());
        assertNull(queued.startedAt());
        assertTrue(queued.failures().isEmpty());

        Instant first = task.createdAt().plusSeconds(1);
        Instant failed = first.plusSeconds(2);
        Instant second = failed.plusSeconds(3);
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.RUNNING, first).attempts(1).runBy("w-1"));
        TaskError error = new TaskError("java.lang.IllegalStateException", "boom", 1, failed, "w-1", first);
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.RETRY_SCHEDULED, failed)
                                .attempts(1)
                                .error(error)
                                .nextAttemptAt(second));
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.RUNNING, second).attempts(2).runBy("w-2"));

        TaskDetail running = store.detail(task.id()).await().atMost(WAIT);
        assertEquals(TaskStatus.RUNNING, running.view().status());
        assertEquals(2, running.view().attempts());
        assertEquals("w-2", running.worker());
        assertEquals(second, running.startedAt());
        assertEquals(List.of(error), running.failures());
        assertEquals(first, running.failures().get(0).startedAt());
        assertEquals(task.payload(), running.payload(), "the payload stays through the task's moves");
    }

    @Test
    void aSubmittedTaskKeepsItsPayloadAndOptions() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .body("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"},"
                        + "\"options\":{\"priority\":3,\"maxAttempts\":2}}")
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        services.track(id);

        TaskDetail detail = store.detail(id).await().atMost(WAIT);
        assertEquals(Json.mapper().readTree("{\"duration\":\"PT1S\"}"), detail.payload());
        // The trace id is the request's, so the console can name the trace (with the SDK off, the one it sent).
        assertEquals(
                Json.mapper()
                        .readTree(
                                "{\"maxAttempts\":2,\"priority\":3,\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}"),
                detail.options());
    }

    @Test
    void keepsOnlyTheSizeOfAPayloadOverTheLimit() throws Exception {
        String large = "{\"text\":\"" + "x".repeat(TaskRecords.MAX_KEPT_PAYLOAD_BYTES) + "\"}";
        TaskEnvelope task = task(large);
        assertTrue(store.create(task, null, KeptOptions.of(TaskOptions.NONE, null))
                .await()
                .atMost(WAIT));

        Map<String, String> hash = services.redis().task(task.id());
        assertFalse(hash.containsKey("payload"));
        assertEquals(String.valueOf(large.length()), hash.get("payloadBytes"));
        TaskDetail detail = store.detail(task.id()).await().atMost(WAIT);
        assertNull(detail.payload());
        assertEquals(large.length(), detail.payloadBytes());
        assertEquals(Json.mapper().createObjectNode(), detail.options(), "no option given reads as {}");
    }

    @Test
    void aRunningMoveWithoutAWorkerForgetsThePreviousOne() throws Exception {
        TaskEnvelope task = task("{}");
        store.create(task, null, null).await().atMost(WAIT);
        Instant at = task.createdAt().plusSeconds(1);
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.RUNNING, at).attempts(1).runBy("w-1"));
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.RUNNING, at.plusSeconds(1)).attempts(1));

        TaskDetail detail = store.detail(task.id()).await().atMost(WAIT);
        assertNull(detail.worker());
        assertEquals(at.plusSeconds(1), detail.startedAt());
        JsonNode none = detail.options();
        assertNull(none, "a task created without options has none recorded");
    }

    @Test
    void anUnknownTaskHasNoDetail() {
        assertNull(store.detail(UUID.randomUUID().toString()).await().atMost(WAIT));
    }
}
