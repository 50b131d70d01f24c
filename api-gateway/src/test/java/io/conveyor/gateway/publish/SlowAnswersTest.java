package io.conveyor.gateway.publish;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.Rabbitmqctl;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures that only come with time, made to come soon: a broker that does not confirm within the (here 300 ms)
 * confirm timeout because the task's queue is suspended, and a key whose first request is still being accepted
 * when the repeat stops waiting.
 */
@QuarkusTest
@TestProfile(SlowAnswersTest.Impatient.class)
class SlowAnswersTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** A short confirm timeout, and no margin for a repeated key. */
    public static class Impatient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.publish.confirm-timeout", "300ms", "conveyor.state.idempotency-wait-margin", "0S");
        }
    }

    @Test
    void aConfirmTimeoutIs503WithRetryAfter() {
        // A suspended queue neither stores nor confirms: the publish waits past the timeout however fast the disk.
        Rabbitmqctl.suspendQueue(Topology.taskQueue("noop"));
        try {
            given().contentType(ContentType.JSON)
                    .body("{\"type\":\"noop\"}")
                    .when()
                    .post("/api/v1/tasks")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("5"))
                    .body("type", equalTo("urn:conveyor:problem:broker-unavailable"))
                    .body("detail", containsString("did not confirm the task in time"));
        } finally {
            Rabbitmqctl.resumeQueue(Topology.taskQueue("noop"));
        }
        given().when()
                .get("/q/metrics")
                .then()
                .body(containsString("conveyor_tasks_rejected_total{reason=\"confirm-timeout\",type=\"noop\"}"));
    }

    @Test
    void aKeyStillBeingAcceptedIs409WithRetryAfter() throws Exception {
        String key = "test-key-" + UUID.randomUUID();
        services.trackKey(StateKeys.idempotency(key));
        ValidatedTask same = new ValidatedTask(
                TaskCatalogue.load().find("noop").orElseThrow(),
                Json.mapper().readTree("{}"),
                3,
                null,
                null,
                null,
                key,
                null);
        services.redis()
                .call("SET", StateKeys.idempotency(key), "pending|" + RequestFingerprint.of(same) + "|", "EX", "60");
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"type\":\"noop\"}")
                .when()
                .post("/api/v1/tasks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("1"))
                .body("type", equalTo("urn:conveyor:problem:idempotency-key-in-progress"));
    }

    @Test
    void aClientThatHangsUpLeavesNoKeyClaimed() throws Exception {
        String key = "test-key-" + UUID.randomUUID();
        String redisKey = StateKeys.idempotency(key);
        services.trackKey(redisKey);
        String body = "{\"type\":\"noop\"}";
        String request = "POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: " + key + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        Rabbitmqctl.suspendQueue(Topology.taskQueue("noop"));
        try {
            try (Socket client = new Socket("localhost", RestAssured.port)) {
                client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                // The accept is under way (its key claimed) when the client hangs up.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> services.redis().call("GET", redisKey) != null);
                // Claimed for a lease (300 ms confirm + 2 x 2 s state writes + 5 s slack), not the 24 h window: a
                // gateway killed now would leave the key blocked only that long.
                long lease = Long.parseLong(String.valueOf(services.redis().call("PTTL", redisKey)));
                assertTrue(lease > 0 && lease <= 9_300, "pending claim's PTTL " + lease + " ms");
            }
            // The accept runs to its end all the same: the confirm times out, the key is released, not left
            // claimed for its whole window (which would answer every retry with 409).
            await().atMost(Duration.ofSeconds(10)).until(() -> services.redis().call("GET", redisKey) == null);
        } finally {
            Rabbitmqctl.resumeQueue(Topology.taskQueue("noop"));
        }
    }
}
