package io.conveyor.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalManagement;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A task queue holds at most its type's limit (here 2, through CONVEYOR_QUEUE_MAX_LENGTHS): the gateway sets it as a
 * RabbitMQ policy at startup, and once the queue is full a submission gets 503 queue-full with Retry-After, and
 * nothing of it is published, recorded or kept under its idempotency key.
 */
@QuarkusTest
@TestProfile(QueueLimitTest.TinyQueue.class)
class QueueLimitTest {

    private static final String TYPE = "throwaway_bounded";
    private static final String QUEUE = Topology.taskQueue(TYPE);
    private static final String POLICY = Topology.limitPolicy(TYPE);
    private static final int LIMIT = 2;
    private static final String REJECTED = "conveyor_tasks_rejected_total{reason=\"queue-full\",type=\"" + TYPE + "\"}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Gives the test-only type a queue of 2 messages, as an operator would with the environment variable. */
    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.queue-limits.max-lengths", TYPE + "=" + LIMIT);
        }
    }

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static LocalManagement management;
    /** Every task this class got a 202 for. */
    private static final Set<String> accepted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void management() {
        management = LocalManagement.require();
    }

    /** Starts each test from an empty queue that the limit policy governs. */
    @BeforeEach
    void emptyBoundedQueue() {
        services.broker().purge(QUEUE);
        // The queue shows its policy with the broker's next statistics (every 5 s by default).
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode queue = management.queue(QUEUE).orElseThrow();
            assertEquals(POLICY, queue.path("policy").asText());
            JsonNode definition = queue.path("effective_policy_definition");
            assertEquals(LIMIT, definition.path("max-length").asInt(), definition.toString());
            assertEquals("reject-publish", definition.path("overflow").asText(), definition.toString());
        });
    }

    /** The test-only type's queue itself goes when the run ends (TestOnlyQueues), once no app declares it again. */
    @AfterAll
    static void deleteThePolicy() {
        management.deletePolicy(POLICY);
    }

    @Test
    void setsALimitPolicyOnEveryTaskQueueAndReportsItApplied() {
        JsonNode bounded = management.policy(POLICY).orElseThrow();
        assertEquals(
                "^conveyor\\.task\\.throwaway_bounded$", bounded.path("pattern").asText());
        assertEquals("queues", bounded.path("apply-to").asText());
        assertEquals(10, bounded.path("priority").asInt());
        assertEquals(LIMIT, bounded.path("definition").path("max-length").asInt());
        assertEquals(
                "reject-publish", bounded.path("definition").path("overflow").asText());

        JsonNode noop = management.policy(Topology.limitPolicy("noop")).orElseThrow();
        assertEquals(1_000_000, noop.path("definition").path("max-length").asLong(), "CONVEYOR_QUEUE_MAX_LENGTH");

        await().atMost(WAIT).untilAsserted(() -> assertEquals(1.0, metric("conveyor_queue_limits_applied")));
    }

    @Test
    void aFullQueueRefusesTheNextTaskWith503NamingTheType() {
        Instant start = Instant.now();
        double rejectedBefore = metric(REJECTED);

        List<String> taken = new ArrayList<>();
        Response refused = fill(taken);

        refused.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("urn:conveyor:problem:queue-full"))
                .body(
                        "detail",
                        containsString("The queue of task type " + TYPE + " is full (max " + LIMIT + " messages)"));
        assertEquals(rejectedBefore + 1, metric(REJECTED));
        assertEquals(taken.size(), services.broker().messageCount(QUEUE), "the refused task was not published");
        // Its QUEUED record, written alongside the publish, is removed (in the background).
        await().atMost(WAIT).untilAsserted(() -> assertEquals(Set.copyOf(taken), recordedSince(start)));
    }

    @Test
    void aKeyedTaskRefusedByAFullQueueReleasesItsKey() {
        fill(new ArrayList<>());
        String key = "queue-limit-" + UUID.randomUUID();
        String stored = services.trackKey(StateKeys.idempotency(key));

        submit(key).then().statusCode(503).body("type", equalTo("urn:conveyor:problem:queue-full"));
        assertEquals(0L, services.redis().call("EXISTS", stored), "the refused request still holds its key");

        // Once the queue has room, a retry with the key is accepted as a new task, and the key keeps that answer.
        services.broker().purge(QUEUE);
        String[] id = new String[1];
        await().atMost(WAIT).untilAsserted(() -> {
            Response retried = submit(key);
            assertEquals(202, retried.statusCode(), retried.asString());
            id[0] = track(retried.path("id"));
        });
        submit(key).then().statusCode(202).body("id", equalTo(id[0]));
        assertEquals(1, services.broker().messageCount(QUEUE));
    }

    @Test
    void aDeadLetterReplayedIntoAFullQueueStaysDeadAndIsA503() {
        fill(new ArrayList<>());
        String id = services.track(UUID.randomUUID().toString());
        TaskEnvelope task = new TaskEnvelope(id, TYPE, Json.mapper().createObjectNode(), 1, Instant.now());
        services.redis()
                .transition(id, Transition.to(TaskStatus.DEAD, Instant.now()).createIfMissing(task));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(id)
                .contentType("application/json")
                .deliveryMode(2)
                .headers(Map.of(
                        Headers.TASK_TYPE,
                        TYPE,
                        Headers.ATTEMPT,
                        1,
                        Headers.MAX_ATTEMPTS,
                        1,
                        Headers.DEAD_REASON,
                        "exhausted",
                        Headers.ORIGINAL_ROUTING_KEY,
                        TYPE))
                .build();
        try {
            services.broker()
                    .publish(
                            Topology.DEAD_LETTER_EXCHANGE,
                            TYPE,
                            props,
                            TaskRecords.toJson(task).getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> services.broker().messageCount(Topology.DEAD_QUEUE) == 1);

            given().when()
                    .post("/api/v1/dead-letters/" + id + "/replay")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", equalTo("5"))
                    .body("type", equalTo("urn:conveyor:problem:queue-full"))
                    .body("detail", containsString(TYPE));
            given().queryParam("type", TYPE)
                    .when()
                    .post("/api/v1/dead-letters/replay")
                    .then()
                    .statusCode(202)
                    .body("replayed", equalTo(0))
                    .body("unroutable", equalTo(List.of(id)));
            assertEquals(1, services.broker().messageCount(Topology.DEAD_QUEUE), "the dead letter stays");
            given().when().get("/api/v1/tasks/" + id).then().statusCode(200).body("status", equalTo("DEAD"));
        } finally {
            services.broker().purge(Topology.DEAD_QUEUE);
        }
    }

    /**
     * Submits until the queue refuses, and returns the refusal. The first {@code LIMIT} must be accepted; a quorum
     * queue may take one more (RabbitMQ stops taking messages once it is over its limit, not at it), never two.
     */
    private static Response fill(List<String> taken) {
        for (int i = 0; i < LIMIT; i++) {
            Response answer = submit(null);
            assertEquals(202, answer.statusCode(), "within the limit: " + answer.asString());
            taken.add(track(answer.path("id")));
        }
        for (int i = 0; i < 2; i++) {
            Response answer = submit(null);
            if (answer.statusCode() != 202) {
                return answer;
            }
            taken.add(track(answer.path("id")));
        }
        return fail("the queue of " + TYPE + " took " + taken.size() + " tasks with a limit of " + LIMIT);
    }

    private static Response submit(String idempotencyKey) {
        var request = given().contentType(ContentType.JSON).body("{\"type\":\"" + TYPE + "\"}");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post("/api/v1/tasks");
    }

    private static String track(String id) {
        accepted.add(id);
        return services.track(id);
    }

    /** The ids of the tasks of this type recorded in the state store and created since {@code start}. */
    private static Set<String> recordedSince(Instant start) {
        List<Map<String, String>> items = given().queryParam("type", TYPE)
                .queryParam("limit", 100)
                .when()
                .get("/api/v1/tasks")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        Set<String> recorded = ConcurrentHashMap.newKeySet();
        items.stream()
                .filter(item -> !Instant.parse(item.get("createdAt")).isBefore(start))
                .forEach(item -> recorded.add(item.get("id")));
        assertTrue(accepted.containsAll(recorded), "recorded but never accepted: " + recorded);
        return recorded;
    }

    /** A gateway metric's value, 0 before it was first counted. */
    private static double metric(String series) {
        String text = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return text.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(series.length() + 1).strip()))
                .findFirst()
                .orElse(0);
    }
}
