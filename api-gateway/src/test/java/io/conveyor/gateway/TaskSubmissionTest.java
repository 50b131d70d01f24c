package io.conveyor.gateway;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accepted tasks reach their type's queue, persistent and complete, before the 202 is sent. */
@QuarkusTest
class TaskSubmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @BeforeEach
    void clean() {
        services.broker().purgeAll();
    }

    @Test
    void acceptsATaskWith202LocationAndAPersistentMessageInItsQueue() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .body("{\"type\":\"noop\",\"payload\":{}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .body("type", equalTo("noop"))
                .body("status", equalTo("QUEUED"))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"))
                .extract()
                .path("id");
        services.track(id);
        // The 202 follows the broker's confirm, so the message is already there.
        GetResponse message = services.broker().channel().basicGet(Topology.taskQueue("noop"), true);
        assertNotNull(message, "the confirmed message is in conveyor.task.noop when the 202 arrives");
        assertEquals(id, message.getProps().getMessageId());
        assertEquals(2, message.getProps().getDeliveryMode());
        assertEquals("application/json", message.getProps().getContentType());
        assertEquals("noop", LocalBroker.header(message, Headers.TASK_TYPE));
        assertEquals("1", LocalBroker.header(message, Headers.ATTEMPT));
        assertEquals("3", LocalBroker.header(message, Headers.MAX_ATTEMPTS));
        assertEquals(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                LocalBroker.header(message, Headers.TRACEPARENT));
        JsonNode envelope = Json.mapper().readTree(message.getBody());
        assertEquals(id, envelope.get("id").asText());
        assertEquals("noop", envelope.get("type").asText());
    }

    @Test
    void locationPointsAtTheTask() {
        String location = given().contentType(ContentType.JSON)
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202)
                .extract()
                .header("Location");
        assertTrue(location.matches("/api/v1/tasks/[0-9a-f-]{36}"), location);
        services.track(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void acceptsTheSeedDocumentsRequestUnchanged() throws Exception {
        given().contentType("application/json")
                .body("{\"task_type\": \"send_email\", \"task_param\": \"user@example.com\"}")
                .when()
                .post("/async-task")
                .then()
                .statusCode(202)
                .header("Location", containsString("/api/v1/tasks/"))
                .body("type", equalTo("send_email"))
                .body("status", equalTo("QUEUED"))
                .body("message", equalTo("Task started"));
        GetResponse message = services.broker().take(Topology.taskQueue("send_email"), WAIT);
        services.track(message.getProps().getMessageId());
        JsonNode payload = Json.mapper().readTree(message.getBody()).get("payload");
        assertEquals("user@example.com", payload.get("to").asText());
        assertEquals("Hello from Conveyor", payload.get("subject").asText());
    }

    @Test
    void appliesPerTaskMaxAttemptsAndTypeDefaults() {
        given().contentType(ContentType.JSON)
                .body(
                        "{\"type\":\"send_email\",\"payload\":{\"to\":\"a@example.com\",\"subject\":\"s\",\"body\":\"b\"},"
                                + "\"options\":{\"maxAttempts\":7}}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(202);
        GetResponse message = services.broker().take(Topology.taskQueue("send_email"), WAIT);
        services.track(message.getProps().getMessageId());
        assertEquals("7", LocalBroker.header(message, Headers.MAX_ATTEMPTS));
    }

    @Test
    void delayedTaskWaitsInARetryTierNotInItsQueue() {
        String id = Submissions.accepted("{\"type\":\"noop\",\"options\":{\"delay\":\"PT40S\"}}");
        services.track(id);
        GetResponse message = services.broker().take(Topology.RETRY_QUEUE_PREFIX + "30s", WAIT);
        assertEquals(id, message.getProps().getMessageId());
        for (Duration tier : Topology.RETRY_TIERS) {
            assertEquals(
                    0,
                    services.broker().messageCount(Topology.retryQueue(tier)),
                    "a copy went to " + Topology.retryQueue(tier));
        }
        assertEquals(Topology.taskQueue("noop"), message.getEnvelope().getRoutingKey());
        assertNotNull(LocalBroker.header(message, Headers.NOT_BEFORE));
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void answers503WhenTheBrokerCannotRouteTheTask() throws Exception {
        services.broker().channel().queueUnbind(Topology.taskQueue("noop"), Topology.TASKS_EXCHANGE, "noop");
        try {
            given().contentType(ContentType.JSON)
                    .body("{\"type\":\"noop\"}")
                    .when()
                    .post("/api/v1/tasks")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", matchesPattern("\\d+"))
                    .body("detail", containsString("Unroutable"));
        } finally {
            services.broker().channel().queueBind(Topology.taskQueue("noop"), Topology.TASKS_EXCHANGE, "noop");
        }
    }
}
