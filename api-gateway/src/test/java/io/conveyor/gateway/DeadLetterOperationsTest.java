package io.conveyor.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.conveyor.amqp.DeadLetterFormat;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.model.Headers;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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

    @Inject
    GatewayConfig config;

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
    void aReplayTheBrokerCannotRouteIs409AndLeavesTheDeadLetter() throws Exception {
        String id = deadTask("fail", 3);
        services.broker().channel().queueDelete(Topology.taskQueue("fail"));
        try {
            given().when()
                    .post("/api/v1/dead-letters/" + id + "/replay")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:conveyor:problem:dead-letter-unroutable"));
            assertEquals(1, services.broker().messageCount(Topology.DEAD_QUEUE), "the dead letter stays");
            given().when().get("/api/v1/tasks/" + id).then().body("status", equalTo("DEAD"));
        } finally {
            services.broker().declareTopology();
        }
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

    @Test
    void listsADeadLetterOfAnUnknownTypeAsDeadAndFiltersByItsType() {
        String id = deadTask("teleport", 1);
        String poison = deadLetter(null, "teleport", "this is not json");

        given().queryParam("type", "teleport")
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.id == '" + id + "' }.type", equalTo("teleport"))
                .body("find { it.id == '" + id + "' }.status", equalTo("DEAD"))
                .body("find { it.id == '" + poison + "' }.status", equalTo("DEAD"))
                .body("find { it.id == '" + poison + "' }.reason", equalTo("poison"));
        assertEquals(2, services.broker().messageCount(Topology.DEAD_QUEUE));
    }

    @Test
    void refusesToReplayADeadLetterOfAnUnknownTypeAndChangesNothing() {
        String id = deadTask("teleport", 1);

        given().when()
                .post("/api/v1/dead-letters/" + id + "/replay")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:dead-letter-not-replayable"))
                .body("detail", containsString("its type 'teleport' is not a task type of this deployment"))
                .body("detail", containsString("DELETE /api/v1/dead-letters/" + id));

        assertEquals(1, services.broker().messageCount(Topology.DEAD_QUEUE), "the dead letter stays");
        assertEquals("DEAD", services.redis().task(id).get("status"), "its state is untouched");
        assertEquals("1", services.redis().task(id).get("attempts"));
        given().when().delete("/api/v1/dead-letters/" + id).then().statusCode(204);
        assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE));
        given().when().get("/api/v1/tasks/" + id).then().statusCode(404);
    }

    @Test
    void refusesToReplayAPoisonMessageAndDiscardsItByTheIdItIsListedWith() {
        String id = deadLetter(null, "noop", "this is not json");
        given().queryParam("type", "noop")
                .when()
                .get("/api/v1/dead-letters")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(id)));

        given().when()
                .post("/api/v1/dead-letters/" + id + "/replay")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("its body is not a task envelope"));

        assertEquals(1, services.broker().messageCount(Topology.DEAD_QUEUE), "the poison message stays dead");
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")), "and was not sent to a worker");
        given().when().delete("/api/v1/dead-letters/" + id).then().statusCode(204);
        assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE));
    }

    @Test
    void replayingATypeLeavesWhatCannotRunDead() {
        String task = deadTask("fail", 1);
        String poison = deadLetter(services.track(UUID.randomUUID().toString()), "fail", "{\"not\":\"a task\"}");

        given().queryParam("type", "fail")
                .when()
                .post("/api/v1/dead-letters/replay")
                .then()
                .statusCode(202)
                .body("replayed", equalTo(1))
                .body("unroutable", equalTo(List.of(poison)));

        GetResponse back = services.broker().take(Topology.taskQueue("fail"), Duration.ofSeconds(5));
        assertEquals(task, back.getProps().getMessageId());
        GetResponse left = services.broker().take(Topology.DEAD_QUEUE, Duration.ofSeconds(5));
        assertEquals(poison, left.getProps().getMessageId());
    }

    @Test
    void deadLetterTimeoutsDefaultToTheirFormerValues() {
        assertEquals(Duration.ofSeconds(2), config.deadLetters().stateTimeout());
        assertEquals(Duration.ofSeconds(10), config.deadLetters().confirmTimeout());
        assertEquals(10_000, config.deadLetters().maxScan());
    }

    /**
     * A dead letter as a worker leaves a poison message: {@code messageId} may be null (the listed id is then a
     * digest of the body); returns the id it is listed with.
     */
    private static String deadLetter(String messageId, String type, String body) {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(messageId)
                .headers(Map.of(
                        Headers.TASK_TYPE,
                        type,
                        Headers.ATTEMPT,
                        1,
                        Headers.DEAD_REASON,
                        "poison",
                        Headers.ERROR_CLASS,
                        "io.conveyor.worker.deadletter.PoisonMessageException",
                        Headers.ORIGINAL_ROUTING_KEY,
                        type))
                .build();
        services.broker().publish(Topology.DEAD_LETTER_EXCHANGE, type, props, TaskMessageBuilder.utf8(body));
        return DeadLetterFormat.idOf(props, TaskMessageBuilder.utf8(body));
    }

    /** A task as the worker leaves it after its last failed attempt: DEAD in Redis, with headers in conveyor.dead. */
    private static String deadTask(String type, int attempts) {
        return DeadTasks.create(services, type, attempts);
    }
}
