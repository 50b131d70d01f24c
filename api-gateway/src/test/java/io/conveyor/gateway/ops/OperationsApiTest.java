package io.conveyor.gateway.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Json;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations API against the real broker and Redis, the workers' side simulated: queue figures from seeded state
 * keys and a real queue (over AMQP here, no management URL configured), live workers from seeded heartbeats, and
 * pause and resume seen in the paused set and on the control exchange.
 */
@QuarkusTest
class OperationsApiTest {

    private static final String TYPE = "throwaway_greeting";
    private static final String QUEUE = Topology.taskQueue(TYPE);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Keys and the members or fields this class wrote there: shared keys lose only what the tests added. */
    private static final List<String[]> WRITTEN = new CopyOnWriteArrayList<>();

    @AfterEach
    void clean() {
        services.redis().call("SREM", OpsKeys.PAUSED, TYPE);
        for (String[] written : WRITTEN) {
            services.redis().call(written[0], written[1], written[2]);
        }
        WRITTEN.clear();
        services.broker().purge(QUEUE);
    }

    @Test
    void queuesShowTheBrokersAndTheStoresFigures() throws Exception {
        Channel consumer = services.broker().connection().createChannel();
        try {
            // One consumer holding one unacknowledged message; the other three stay ready.
            consumer.basicQos(1);
            consumer.basicConsume(QUEUE, false, new DefaultConsumer(consumer));
            for (int i = 0; i < 4; i++) {
                services.broker().publish("", QUEUE, new AMQP.BasicProperties(), "{}".getBytes(StandardCharsets.UTF_8));
            }
            long minute = seedStateFigures();
            // The management API's figures lag by its statistics interval (5 s by default): wait them out.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonPath view = given().get("/api/v1/queues")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                // Management when this broker's API is configured and answers (as in .ci/run), else AMQP.
                String source = view.getString("source");
                Map<String, Object> figures = view.getMap("queues.find { it.type == '" + TYPE + "' }");
                assertEquals(3, figures.get("ready"));
                if (source.equals("amqp")) {
                    assertEquals(-1, figures.get("unacknowledged"), "AMQP cannot tell unacknowledged messages");
                } else {
                    assertEquals("management", source);
                    assertEquals(1, figures.get("unacknowledged"), "the consumer holds one (prefetch 1)");
                }
                assertEquals(1, figures.get("consumers"));
                assertEquals(2, figures.get("retrying"));
                assertEquals(1, figures.get("dead"));
                assertEquals(false, figures.get("paused"));
                List<?> perMinute = (List<?>) figures.get("finishedPerMinute");
                assertEquals(OpsKeys.STATS_MINUTES, perMinute.size());
                if (OpsKeys.epochMinute(Instant.now()) == minute) {
                    assertEquals(3, figures.get("accepted1m"));
                    assertEquals(8, figures.get("accepted15m"));
                    assertEquals(2, figures.get("finished1m"));
                    assertEquals(3, figures.get("finished15m"));
                    assertEquals(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), perMinute);
                } else {
                    // A minute went by since the seeding: the window moved on by one.
                    assertEquals(8, figures.get("accepted15m"));
                }
                // The task created 30 s ago waits; the one delayed an hour into the future does not count.
                double latency = ((Number) figures.get("latencySeconds")).doubleValue();
                assertTrue(latency >= 29 && latency < 60, "latency " + latency);
            });
        } finally {
            consumer.close();
        }
    }

    /** Two retrying and one dead task, accepted and finished counts, one waiting and one delayed QUEUED task. */
    private static long seedStateFigures() {
        Instant now = Instant.now();
        long minute = OpsKeys.epochMinute(now);
        zadd(StateKeys.index(TaskStatus.RETRY_SCHEDULED, TYPE), now, "ops-retry-1", "ops-retry-2");
        zadd(StateKeys.index(TaskStatus.DEAD, TYPE), now, "ops-dead-1");
        hset(OpsKeys.accepted(minute), 3);
        hset(OpsKeys.accepted(minute - 1), 5);
        hset(OpsKeys.finished(minute), 2);
        hset(OpsKeys.finished(minute - 14), 1);
        String queued = StateKeys.index(TaskStatus.QUEUED, TYPE);
        zadd(queued, now.minusSeconds(60), "ops-delayed");
        zadd(queued, now.minusSeconds(30), "ops-waiting");
        String delayed = services.trackKey(StateKeys.task("ops-delayed"));
        services.redis()
                .call(
                        "HSET",
                        delayed,
                        "nextAttemptAt",
                        String.valueOf(now.plusSeconds(3600).toEpochMilli()));
        return minute;
    }

    private static void zadd(String key, Instant score, String... members) {
        for (String member : members) {
            WRITTEN.add(new String[] {"ZREM", key, member});
            services.redis().call("ZADD", key, String.valueOf(score.toEpochMilli()), member);
        }
    }

    private static void hset(String key, long count) {
        WRITTEN.add(new String[] {"HDEL", key, TYPE});
        services.redis().call("HSET", key, TYPE, String.valueOf(count));
    }

    @Test
    void pauseAndResumeAreRecordedAndAnnounced() throws Exception {
        Channel control = services.broker().connection().createChannel();
        try {
            control.exchangeDeclare(OpsKeys.CONTROL_EXCHANGE, BuiltinExchangeType.FANOUT, true);
            String queue = control.queueDeclare().getQueue();
            control.queueBind(queue, OpsKeys.CONTROL_EXCHANGE, "");

            given().post("/api/v1/queues/" + TYPE + "/pause").then().statusCode(204);
            assertEquals(1L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, TYPE));
            assertControl(control, queue, "PAUSE");
            given().get("/api/v1/queues")
                    .then()
                    .body("queues.find { it.type == '" + TYPE + "' }.paused", equalTo(true));

            given().post("/api/v1/queues/" + TYPE + "/resume").then().statusCode(204);
            assertEquals(0L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, TYPE));
            assertControl(control, queue, "RESUME");
        } finally {
            control.close();
        }
    }

    private static void assertControl(Channel channel, String queue, String action) throws Exception {
        GetResponse[] got = new GetResponse[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> (got[0] = channel.basicGet(queue, true)) != null);
        JsonNode message = Json.mapper().readTree(got[0].getBody());
        assertEquals(action, message.path("action").asText());
        assertEquals(TYPE, message.path("type").asText());
    }

    @Test
    void anUnknownTypeIsNotFound() {
        given().post("/api/v1/queues/no_such_type/pause")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:conveyor:problem:unknown-task-type"));
        given().post("/api/v1/queues/no_such_type/resume").then().statusCode(404);
        assertEquals(0L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, "no_such_type"));
    }

    @Test
    void workersListsTheLiveAndForgetsTheGone() throws Exception {
        String live = "ops-test-live-" + System.nanoTime();
        String gone = "ops-test-gone-" + System.nanoTime();
        String garbled = "ops-test-garbled-" + System.nanoTime();
        Instant now = Instant.now();
        WorkerHeartbeat beat = new WorkerHeartbeat(
                live, "host-1", "0.1.0", List.of(TYPE), List.of(), 4, 1, 17, now.minusSeconds(60), now, 5000);
        for (String id : List.of(live, gone, garbled)) {
            services.redis().call("ZADD", OpsKeys.WORKERS, String.valueOf(now.toEpochMilli()), id);
        }
        services.redis()
                .call(
                        "SET",
                        services.trackKey(OpsKeys.worker(live)),
                        Json.mapper().writeValueAsString(beat));
        services.redis().call("SET", services.trackKey(OpsKeys.worker(garbled)), "{not json");
        try {
            given().get("/api/v1/workers")
                    .then()
                    .statusCode(200)
                    .body("id", hasItem(live))
                    .body("id", not(hasItem(gone)))
                    .body("id", not(hasItem(garbled)))
                    .body("find { it.id == '" + live + "' }.done", equalTo(17))
                    .body("find { it.id == '" + live + "' }.types", equalTo(List.of(TYPE)));
            assertNull(services.redis().call("ZSCORE", OpsKeys.WORKERS, gone), "a gone worker leaves the set");
            assertNotNull(services.redis().call("ZSCORE", OpsKeys.WORKERS, garbled), "an unreadable one stays");
        } finally {
            services.redis().call("ZREM", OpsKeys.WORKERS, live, gone, garbled);
        }
    }
}
