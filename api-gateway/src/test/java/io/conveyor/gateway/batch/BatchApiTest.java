package io.conveyor.gateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/batches} against real RabbitMQ and Redis. No worker runs here: the tests play it, moving tasks with
 * the state store's own transition script.
 */
@QuarkusTest
class BatchApiTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static final String NOOP_QUEUE = Topology.taskQueue("noop");
    private static final String NOOP = "{\"type\":\"noop\"}";

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void aBatchIsAccepted202WithItsLocationAndEveryTaskIsPublishedAndNamesIt() {
        Response answer = submit(batchOf(3, NOOP), null);
        assertEquals(202, answer.statusCode(), answer.asString());
        String id = track(answer);
        assertEquals("/api/v1/batches/" + id, answer.header("Location"));
        assertEquals(Integer.valueOf(3), answer.path("size"));
        List<String> taskIds = answer.path("taskIds");
        assertEquals(3, taskIds.size());
        assertEquals(3L, services.broker().messageCount(NOOP_QUEUE));
        for (String taskId : taskIds) {
            given().get("/api/v1/tasks/" + taskId)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("QUEUED"))
                    .body("batch", equalTo(id));
        }
        given().get("/api/v1/batches/" + id)
                .then()
                .statusCode(200)
                .body("size", equalTo(3))
                .body("remaining", equalTo(3))
                .body("done", equalTo(false))
                .body("counts.QUEUED", equalTo(3))
                .body("taskIds", equalTo(taskIds));
    }

    @Test
    void oneBadTaskRefusesTheWholeBatchListingEveryBadIndexAndNothingIsPublished() {
        String body = "{\"tasks\":[" + NOOP + ",{\"type\":\"nope\"},{\"type\":\"noop\",\"payload\":{\"a\":1}}," + NOOP
                + ",{\"type\":\"send_email\",\"payload\":{\"to\":\"not-an-email\"}},\"x\"]}";
        submit(body, null)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.index", hasItems(1, 2, 4, 5))
                .body("errors.findAll { it.index == 0 || it.index == 3 }.size()", equalTo(0))
                .body("errors.field", hasItems("tasks[1]", "tasks[2].payload.a", "tasks[4].payload.to", "tasks[5]"));
        assertEquals(0L, services.broker().messageCount(NOOP_QUEUE));
    }

    @Test
    void aBadOnCompleteTaskRefusesTheBatch() {
        submit("{\"tasks\":[" + NOOP + "],\"onComplete\":{\"type\":\"noop\",\"options\":{\"delay\":\"PT1M\"}}}", null)
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("onComplete.options.delay"))
                .body("errors.index", hasItems(-1));
        assertEquals(0L, services.broker().messageCount(NOOP_QUEUE));
    }

    @Test
    void aBatchHoldsOneToAThousandTasks() {
        submit("{\"tasks\":[]}", null)
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("tasks"))
                .body("errors[0].message", containsString("between 1 and 1000"));
        submit(batchOf(1001, NOOP), null).then().statusCode(400).body("errors[0].message", containsString("was 1001"));
        submit("{\"items\":[]}", null).then().statusCode(400).body("errors.field", hasItems("items", "tasks"));
        assertEquals(0L, services.broker().messageCount(NOOP_QUEUE));
    }

    @Test
    void aWaitingReadAnswersOnceTheLastTaskEnds() throws Exception {
        Response accepted = submit(batchOf(2, NOOP), null);
        String id = track(accepted);
        List<String> taskIds = accepted.path("taskIds");
        services.redis().succeed(taskIds.get(0), Map.of());
        CompletableFuture<Response> waiting =
                CompletableFuture.supplyAsync(() -> given().get("/api/v1/batches/" + id + "?wait=PT20S"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        services.redis()
                .transition(
                        taskIds.get(1),
                        Transition.to(TaskStatus.DEAD, Instant.now()).attempts(1));
        Response done = waiting.get();
        assertEquals(200, done.statusCode(), done.asString());
        assertEquals(Boolean.TRUE, done.path("done"));
        assertEquals(Integer.valueOf(1), done.path("counts.SUCCEEDED"));
        assertEquals(Integer.valueOf(1), done.path("counts.DEAD"));
        assertEquals(Integer.valueOf(0), done.path("remaining"));
    }

    @Test
    void aWaitThatEndsFirstAnswersTheBatchAsItIs() {
        String id = track(submit(batchOf(1, NOOP), null));
        given().get("/api/v1/batches/" + id + "?wait=PT1S")
                .then()
                .statusCode(200)
                .body("done", equalTo(false));
        given().get("/api/v1/batches/" + id + "?wait=soon").then().statusCode(400);
        given().get("/api/v1/batches/unknown-batch").then().statusCode(404).body("type", containsString("batch"));
    }

    @Test
    void cancellingTheLastTaskPublishesTheOnCompleteTaskOnceWithTheBatchId() {
        Response accepted = submit(
                "{\"tasks\":[" + NOOP + "," + NOOP
                        + "],\"onComplete\":{\"type\":\"noop\",\"options\":{\"priority\":5}}}",
                null);
        String id = track(accepted);
        List<String> taskIds = accepted.path("taskIds");
        String onComplete = services.track(given().get("/api/v1/batches/" + id).<String>path("onCompleteTaskId"));
        assertNotEquals(null, onComplete);
        services.redis().succeed(taskIds.get(0), Map.of());
        given().delete("/api/v1/tasks/" + taskIds.get(1)).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        Boolean.TRUE.equals(given().get("/api/v1/batches/" + id).path("onCompletePublished")));
        given().get("/api/v1/tasks/" + onComplete)
                .then()
                .statusCode(200)
                .body("status", equalTo("QUEUED"))
                .body("batch", equalTo(id));
        // The two members and the onComplete task: published once.
        List<String> ids = IntStream.range(0, 3)
                .mapToObj(i -> services.broker()
                        .take(NOOP_QUEUE, Duration.ofSeconds(5))
                        .getProps()
                        .getMessageId())
                .collect(Collectors.toList());
        assertEquals(1, ids.stream().filter(onComplete::equals).count(), ids.toString());
        given().get("/api/v1/batches/" + id).then().body("done", equalTo(true));
        assertEquals(0L, services.broker().messageCount(NOOP_QUEUE));
    }

    @Test
    void theSameKeyAndBatchGetTheFirstAnswerAndAnotherBatchUnderItIsRefused() {
        String key = "batch-key-" + System.nanoTime();
        services.trackKey(StateKeys.idempotency(key));
        String body = batchOf(2, NOOP);
        Response first = submit(body, key);
        assertEquals(202, first.statusCode(), first.asString());
        String id = track(first);
        Response again = submit(body.replace("\"noop\"", "\"noop\" "), key);
        assertEquals(202, again.statusCode(), again.asString());
        assertEquals(id, again.path("id"));
        assertEquals((List<?>) first.path("taskIds"), again.path("taskIds"));
        assertEquals(2L, services.broker().messageCount(NOOP_QUEUE));
        submit(batchOf(3, NOOP), key).then().statusCode(422);
        assertEquals(2L, services.broker().messageCount(NOOP_QUEUE));
    }

    @Test
    void aTaskOfABatchMayNotCarryItsOwnIdempotencyKey() {
        submit("{\"tasks\":[{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"k\"}}]}", null)
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("tasks[0].options.idempotencyKey"));
        assertFalse(services.broker().messageCount(NOOP_QUEUE) > 0);
    }

    @Test
    void aBatchWithoutAContentTypeIsRefused415() {
        assertTrue(given().body(batchOf(1, NOOP)).post("/api/v1/batches").statusCode() == 415);
    }

    static String batchOf(int n, String task) {
        return "{\"tasks\":[" + String.join(",", java.util.Collections.nCopies(n, task)) + "]}";
    }

    static Response submit(String body, String key) {
        var request = given().contentType(ContentType.JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body(body).post("/api/v1/batches");
    }

    /** Tracks the batch of a 202 and its tasks; answers its id. */
    static String track(Response accepted) {
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = services.trackBatch(accepted.path("id"));
        List<String> taskIds = accepted.path("taskIds");
        services.track(taskIds);
        return id;
    }
}
