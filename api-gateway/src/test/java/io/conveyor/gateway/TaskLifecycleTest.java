package io.conveyor.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status reads, long-poll, listing, idempotency, delay and cancel against real Redis and RabbitMQ. */
@QuarkusTest
class TaskLifecycleTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    RedisDataSource redisClient;

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void aSubmittedTaskReadsAsQueued() {
        String id = submit("{\"type\":\"noop\"}");
        given().when()
                .get("/api/v1/tasks/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("type", equalTo("noop"))
                .body("status", equalTo("QUEUED"))
                .body("attempts", equalTo(0))
                .body("maxAttempts", equalTo(3))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("nextAttemptAt", nullValue());
    }

    @Test
    void anUnknownIdIs404() {
        given().when()
                .get("/api/v1/tasks/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void longPollAnswersTheMomentTheTaskFinishes() throws Exception {
        String id = submit("{\"type\":\"noop\"}");
        CompletableFuture<Response> poll =
                CompletableFuture.supplyAsync(() -> given().when().get("/api/v1/tasks/" + id + "?wait=PT20S"));
        // Let the request register before the worker's writes arrive; the answer must not wait for the timeout.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !poll.isDone());
        long finishedAt = System.nanoTime();
        services.redis().succeed(id, java.util.Map.of("ok", true));
        Response answer = poll.get();
        long millis = (System.nanoTime() - finishedAt) / 1_000_000;
        assertEquals(200, answer.statusCode());
        assertEquals("SUCCEEDED", answer.path("status"));
        assertEquals(Boolean.TRUE, answer.path("result.ok"));
        assertTrue(millis < 3_000, "answered " + millis + " ms after the task finished");
    }

    @Test
    void onlyTasksALongPollWaitsForArePublished() {
        String quiet = submit("{\"type\":\"noop\"}");
        String watched = submit("{\"type\":\"noop\"}");
        services.trackKey(StateKeys.waiting(watched));
        List<String> published = new CopyOnWriteArrayList<>();
        RedisSubscriber subscriber =
                redisClient.pubsub(String.class).subscribe(StateKeys.TERMINAL_CHANNEL, published::add);
        try {
            services.redis().call("PUBLISH", StateKeys.TERMINAL_CHANNEL, "marker");
            await().atMost(Duration.ofSeconds(5)).until(() -> published.contains("marker"));
            // What a long-poll announces before it reads (TaskStore.watch).
            services.redis().call("SET", StateKeys.waiting(watched), "1", "PX", "10000");
            for (String id : List.of(quiet, watched)) {
                services.redis().succeed(id, java.util.Map.of());
            }
            // One channel, in order: once the watched task's message is here, the quiet one's would be too.
            await().atMost(Duration.ofSeconds(5)).until(() -> published.contains(watched));
            assertFalse(published.contains(quiet), "a task nobody waited for was published: " + published);
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void longPollReturnsTheCurrentStateWhenTheWaitEnds() {
        String id = submit("{\"type\":\"noop\"}");
        long started = System.nanoTime();
        given().when()
                .get("/api/v1/tasks/" + id + "?wait=PT1S")
                .then()
                .statusCode(200)
                .body("status", equalTo("QUEUED"));
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 900, "waited for the wait");
    }

    @Test
    void aBadWaitIs400() {
        given().when().get("/api/v1/tasks/x?wait=soon").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void listsNewestFirstWithCursorPaging() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(0, submit("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"}}"));
        }
        List<String> seen = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        String cursor = null;
        do {
            Response page = given().queryParam("type", "sleep")
                    .queryParam("status", "QUEUED")
                    .queryParam("limit", 2)
                    .queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .when()
                    .get("/api/v1/tasks")
                    .then()
                    .statusCode(200)
                    .extract()
                    .response();
            List<String> ids = page.path("items.id");
            List<String> created = page.path("items.createdAt");
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            created.forEach(c -> times.add(Instant.parse(c).toEpochMilli()));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "pages overlap");
        assertTrue(seen.containsAll(mine));
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1) >= times.get(i), "newest first");
        }
        List<String> order = seen.stream().filter(mine::contains).toList();
        assertEquals(mine, order);
    }

    @Test
    void listRefusesAnUnknownStatusOrCursor() {
        given().queryParam("status", "DONE").when().get("/api/v1/tasks").then().statusCode(400);
        given().queryParam("cursor", "!!").when().get("/api/v1/tasks").then().statusCode(400);
        given().queryParam("limit", 0).when().get("/api/v1/tasks").then().statusCode(400);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstAnswerAndPublishesNothing() {
        String key = key();
        Response first = given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .extract()
                .response();
        String id = track(first.path("id"));
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .header("Location", "/api/v1/tasks/" + id)
                .body("id", equalTo(id))
                .body("createdAt", equalTo(first.path("createdAt")));
        assertEquals(1, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneTask() throws Exception {
        String key = key();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> given().contentType(ContentType.JSON)
                        .header("Idempotency-Key", key)
                        .body("{\"type\":\"noop\",\"options\":{\"maxAttempts\":2}}")
                        .when()
                        .post("/api/v1/tasks")));
            }
            HashSet<String> ids = new HashSet<>();
            for (Future<Response> answer : answers) {
                assertEquals(202, answer.get().statusCode(), answer.get().asString());
                ids.add(answer.get().path("id"));
            }
            assertEquals(1, ids.size(), "one task for one key");
            track(ids.iterator().next());
            assertEquals(1, services.broker().messageCount(Topology.taskQueue("noop")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyReusedForAnotherRequestIs422() {
        String key = key();
        String id = submit("{\"type\":\"noop\",\"options\":{\"idempotencyKey\":\"" + key + "\"}}");
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
    }

    @Test
    void aDelayedTaskIsQueuedWithItsNotBeforeTime() {
        Instant before = Instant.now();
        String id = submit("{\"type\":\"noop\",\"options\":{\"delay\":\"PT30S\"}}");
        String next = given().when()
                .get("/api/v1/tasks/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("QUEUED"))
                .extract()
                .path("nextAttemptAt");
        Instant notBefore = Instant.parse(next);
        assertTrue(!notBefore.isBefore(before.plusSeconds(30)) && notBefore.isBefore(before.plusSeconds(32)), next);
    }

    @Test
    void cancelsAQueuedTaskOnceAndOnlyOnce() {
        String id = submit("{\"type\":\"noop\"}");
        given().when().delete("/api/v1/tasks/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().when()
                .delete("/api/v1/tasks/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("CANCELLED"));
        given().when()
                .delete("/api/v1/tasks/00000000-0000-0000-0000-00000000dead")
                .then()
                .statusCode(404);
    }

    @Test
    void aRunningTaskCannotBeCancelled() {
        String id = submit("{\"type\":\"noop\"}");
        services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        given().when().delete("/api/v1/tasks/" + id).then().statusCode(409);
        given().when().get("/api/v1/tasks/" + id).then().body("status", equalTo("RUNNING"));
    }

    @Test
    void aLateRunningNeverOverwritesSucceeded() {
        String id = submit("{\"type\":\"noop\"}");
        services.redis().succeed(id, java.util.Map.of());
        Object answer = services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(2));
        // The third answer names a done batch whose onComplete task is due: none here.
        assertEquals(List.of("refused", "SUCCEEDED", ""), answer);
        given().when()
                .get("/api/v1/tasks/" + id)
                .then()
                .body("status", equalTo("SUCCEEDED"))
                .body("attempts", equalTo(1));
    }

    private String submit(String json) {
        return track(Submissions.accepted(json));
    }

    private static String track(String id) {
        assertNotNull(id);
        services.track(id);
        return id;
    }

    private static String key() {
        String key = "test-key-" + java.util.UUID.randomUUID();
        services.trackKey(StateKeys.idempotency(key));
        return key;
    }
}
