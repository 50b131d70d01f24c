package io.conveyor.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Prefer: wait=N} on a submit (RFC 7240): the outcome in the answer, against real RabbitMQ and Redis. */
@QuarkusTest
class PreferWaitTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static final String NOOP_QUEUE = Topology.TASK_QUEUE_PREFIX + "noop";

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void aTaskThatFinishesWithinTheWaitIsAnswered200WithItsOutcome() throws Exception {
        CompletableFuture<Response> submit = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .header("Prefer", "respond-async, wait=20")
                .body("{\"type\":\"noop\"}")
                .post("/api/v1/tasks"));
        // Play the worker: take the task off its queue, and record it running, then succeeded.
        GetResponse message = services.broker().take(NOOP_QUEUE, Duration.ofSeconds(10));
        String id = services.track(message.getProps().getMessageId());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !submit.isDone());
        services.redis().succeed(id, Map.of("answer", 42));

        Response answer = submit.get();
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("wait=20", answer.header("Preference-Applied"));
        assertEquals("/api/v1/tasks/" + id, answer.header("Location"));
        assertEquals(id, answer.path("id"));
        assertEquals("SUCCEEDED", answer.path("status"));
        assertEquals(Integer.valueOf(42), answer.path("result.answer"));
    }

    @Test
    void aTaskNotFinishedWhenTheWaitEndsIsAnswered202AsUsual() {
        long started = System.nanoTime();
        String id = services.track(given().contentType(ContentType.JSON)
                .header("Prefer", "wait=1")
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .header("Preference-Applied", "wait=1")
                .body("status", equalTo("QUEUED"))
                .extract()
                .<String>path("id"));
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 900, "waited for the wait");
        given().when().get("/api/v1/tasks/" + id).then().statusCode(200).body("status", equalTo("QUEUED"));
    }

    @Test
    void aFailedTaskIsAnsweredWithItsError() throws Exception {
        CompletableFuture<Response> submit = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .header("Prefer", "wait=20")
                .body("{\"type\":\"noop\"}")
                .post("/api/v1/tasks"));
        String id = services.track(services.broker()
                .take(NOOP_QUEUE, Duration.ofSeconds(10))
                .getProps()
                .getMessageId());
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.DEAD, Instant.now())
                                .attempts(1)
                                .error(new TaskError(
                                        "IllegalStateException", "no such mailbox", 1, Instant.now(), "test", null)));
        Response answer = submit.get();
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("DEAD", answer.path("status"));
        assertEquals("no such mailbox", answer.path("lastError.message"));
    }

    @Test
    void withoutAWaitPreferenceTheAnswerIsAnImmediate202() {
        String id = given().contentType(ContentType.JSON)
                .header("Prefer", "respond-async")
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .header("Preference-Applied", nullValue())
                .extract()
                .path("id");
        services.track(id);
    }

    @Test
    void anUnreadableWaitIsIgnoredNotRefused() {
        for (String prefer : new String[] {"wait=soon", "wait=-5", "wait=0", "wait"}) {
            String id = given().contentType(ContentType.JSON)
                    .header("Prefer", prefer)
                    .body("{\"type\":\"noop\"}")
                    .when()
                    .post("/api/v1/tasks")
                    .then()
                    .statusCode(202)
                    .header("Preference-Applied", nullValue())
                    .extract()
                    .path("id");
            services.track(id);
        }
    }

    @Test
    void anInvalidTaskIsRefusedBeforeAnyWait() {
        given().contentType(ContentType.JSON)
                .header("Prefer", "wait=30")
                .body("{\"type\":\"send_email\",\"payload\":{\"to\":\"not an address\"}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertEquals(0, services.broker().messageCount(Topology.TASK_QUEUE_PREFIX + "send_email"));
    }

    @Test
    void theSeedRouteKeepsItsImmediate202() {
        long started = System.nanoTime();
        String id = given().contentType(ContentType.JSON)
                .header("Prefer", "wait=30")
                .body("{\"task_type\":\"send_email\",\"task_param\":\"user@example.com\"}")
                .when()
                .post("/async-task")
                .then()
                .statusCode(202)
                .header("Preference-Applied", nullValue())
                .body("message", equalTo("Task started"))
                .extract()
                .path("id");
        services.track(id);
        assertTrue((System.nanoTime() - started) / 1_000_000 < 10_000, "the seed route did not wait");
    }
}
