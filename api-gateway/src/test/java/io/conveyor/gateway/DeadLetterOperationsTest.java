package io.conveyor.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operators list, replay and discard dead tasks; a replay goes back to its queue with attempts reset. */
@QuarkusTest
class DeadLetterOperationsTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void listsDeadTasksWithTheirErrorAndAttempts() {
        String id = deadTask("fail", 3);
        given().queryParam("type", "fail")
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + id + "' }.reason", equalTo("exhausted"))
                .body("find { it.id == '" + id + "' }.errorClass", equalTo("java.lang.IllegalStateException"))
                .body("find { it.id == '" + id + "' }.attempts", equalTo(3))
                .body("find { it.id == '" + id + "' }.status", equalTo("DEAD"))
                .body("find { it.id == '" + id + "' }.failures.size()", equalTo(3));
        given().queryParam("type", "noop")
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(200)
                .body("id", not(hasItem(id)));
        // Listing returns every message to the queue.
        assertEquals(1, services.broker().messageCount(Topology.DEAD_QUEUE));
    }

    @Test
    void replaysOneDeadTaskWithAttemptsReset() {
        String id = deadTask("fail", 3);
        given().when()
                .post("/api/v1/dead-letters/" + id + "/replay")
                .then()
                .statusCode(202)
                .header("Location", "/api/v1/tasks/" + id)
                .body("status", equalTo("QUEUED"));
        GetResponse back = services.broker().take(Topology.taskQueue("fail"), Duration.ofSeconds(5));
        assertEquals(id, back.getProps().getMessageId());
        assertEquals("1", LocalBroker.header(back, Headers.ATTEMPT));
        assertNull(LocalBroker.header(back, Headers.ERROR_CLASS), "the error story is not carried into the new run");
        assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE), "the replayed task left the dead letters");
        given().when()
                .get("/api/v1/tasks/" + id)
                .then()
                .body("status", equalTo("QUEUED"))
                .body("attempts", equalTo(0));
        given().when().post("/api/v1/dead-letters/" + id + "/replay").then().statusCode(404);
    }

    @Test
    void replaysEveryDeadTaskOfAType() {
        String a = deadTask("fail", 1);
        String b = deadTask("fail", 2);
        String other = deadTask("sleep", 1);
        given().queryParam("type", "fail")
                .when()
                .post("/api/v1/dead-letters/replay")
                .then()
                .statusCode(202)
                .body("replayed", equalTo(2));
        assertEquals(2, services.broker().messageCount(Topology.taskQueue("fail")));
        GetResponse left = services.broker().take(Topology.DEAD_QUEUE, Duration.ofSeconds(5));
        assertEquals(other, left.getProps().getMessageId());
        assertTrue(List.of(a, b).stream()
                .allMatch(id -> "QUEUED".equals(services.redis().task(id).get("status"))));
    }

    @Test
    void discardsADeadTaskForGood() {
        String id = deadTask("fail", 1);
        given().when().delete("/api/v1/dead-letters/" + id).then().statusCode(204);
        assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE));
        given().when().get("/api/v1/tasks/" + id).then().statusCode(404);
        given().when().delete("/api/v1/dead-letters/" + id).then().statusCode(404);
    }

    @Test
    void refusesAnUnknownTypeFilter() {
        given().queryParam("type", "nope")
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(400);
    }

    /** A task as the worker leaves it after its last failed attempt: DEAD in Redis, with headers in conveyor.dead. */
    private static String deadTask(String type, int attempts) {
        TaskMessageBuilder task =
                aTask().ofType(type).withPayload("fail".equals(type) ? "{\"times\":1}" : "{\"duration\":\"PT1S\"}");
        String id = task.id();
        services.track(id);
        Instant now = Instant.now();
        services.redis()
                .call(
                        "EVAL",
                        Scripts.CREATE,
                        "1",
                        StateKeys.task(id),
                        id,
                        type,
                        "QUEUED",
                        "3",
                        String.valueOf(now.toEpochMilli()),
                        "");
        for (int attempt = 1; attempt <= attempts; attempt++) {
            services.redis()
                    .transition(id, Transition.to(TaskStatus.RUNNING, now).attempts(attempt));
            TaskError error = new TaskError("java.lang.IllegalStateException", "boom " + attempt, attempt, now, "test");
            services.redis()
                    .transition(
                            id,
                            Transition.to(attempt == attempts ? TaskStatus.DEAD : TaskStatus.RETRY_SCHEDULED, now)
                                    .attempts(attempt)
                                    .error(error));
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(id)
                .contentType("application/json")
                .deliveryMode(2)
                .headers(Map.of(
                        Headers.TASK_TYPE,
                        type,
                        Headers.ATTEMPT,
                        attempts,
                        Headers.MAX_ATTEMPTS,
                        3,
                        Headers.DEAD_REASON,
                        "exhausted",
                        Headers.ERROR_CLASS,
                        "java.lang.IllegalStateException",
                        Headers.ERROR_MESSAGE,
                        "boom",
                        Headers.FAILED_AT,
                        now.toString(),
                        Headers.WORKER,
                        "test",
                        Headers.ORIGINAL_ROUTING_KEY,
                        type))
                .build();
        services.broker().publish(Topology.DEAD_LETTER_EXCHANGE, type, props, task.body());
        return id;
    }
}
