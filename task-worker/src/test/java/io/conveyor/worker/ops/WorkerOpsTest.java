package io.conveyor.worker.ops;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.Json;
import io.conveyor.model.Topology;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.consume.WorkerRuntime;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker side of the operations API against the real broker and Redis: heartbeats, pause and resume by control
 * message, and the paused set in Redis read at startup and reconciled at every heartbeat. The methods run in order:
 * the app starts with {@code sleep} paused, and the last one removes the worker as a shutdown does.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(WorkerOpsTest.FastHeartbeats.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerOpsTest {

    static final String WORKER = "ops-test-" + ProcessHandle.current().pid();
    private static final String NOOP = Topology.taskQueue("noop");
    private static final String SLEEP = Topology.taskQueue("sleep");
    /** How soon a control message must take effect. */
    private static final Duration CONTROL = Duration.ofSeconds(2);
    /** A heartbeat (1 s here) and some slack. */
    private static final Duration BEAT = Duration.ofSeconds(4);

    /** Two types, a fixed name, a heartbeat a second, and sleep paused in Redis before the worker starts. */
    public static class FastHeartbeats implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.worker.types", "noop,sleep",
                    "conveyor.worker.name", WORKER,
                    "conveyor.worker.heartbeat-interval", "PT1S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SleepPausedAtStart.class));
        }
    }

    /** Pauses sleep before the app starts; removes what the class leaves in Redis when it stops. */
    public static class SleepPausedAtStart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try (LocalRedis redis = new LocalRedis()) {
                redis.call("SADD", OpsKeys.PAUSED, "sleep");
            }
            return Map.of();
        }

        @Override
        public void stop() {
            cleanUp();
        }
    }

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    WorkerRuntime runtime;

    @Inject
    Heartbeats heartbeats;

    @AfterAll
    static void cleanUp() {
        try (LocalRedis redis = new LocalRedis()) {
            redis.call("SREM", OpsKeys.PAUSED, "sleep", "noop");
            redis.call("DEL", OpsKeys.worker(WORKER));
            redis.call("ZREM", OpsKeys.WORKERS, WORKER);
        }
    }

    @Test
    @Order(1)
    void doesNotConsumeATypePausedBeforeItStartedThenResumesItWhenTheSetSaysSo() {
        await().atMost(Duration.ofSeconds(20)).until(() -> consumers(NOOP) == 1);
        assertEquals(0, consumers(SLEEP));
        assertEquals(List.of("sleep"), runtime.pausedTypes());
        assertTrue(runtime.ready(), "a paused type does not make the worker unready");
        given().get("/q/health/ready").then().statusCode(200).body(containsString("paused: sleep"));

        // No control message: the heartbeat's reconcile follows the set.
        services.redis().call("SREM", OpsKeys.PAUSED, "sleep");
        await().atMost(BEAT).until(() -> consumers(SLEEP) == 1);
        assertEquals(List.of(), runtime.pausedTypes());
    }

    @Test
    @Order(2)
    void reportsItselfEveryIntervalWithAnExpiryOfThreeIntervals() throws Exception {
        String task = services.track(aTask().ofType("noop").publishTo(services.broker()));
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> heartbeat().done() >= 1);

        WorkerHeartbeat beat = heartbeat();
        assertEquals(WORKER, beat.id());
        assertEquals(InetAddress.getLocalHost().getHostName(), beat.host());
        assertEquals("0.1.0-SNAPSHOT", beat.version());
        assertEquals(List.of("noop", "sleep"), beat.types());
        assertEquals(List.of(), beat.paused());
        assertEquals(2, beat.concurrency(), "the test profile's concurrency");
        assertEquals(0, beat.running(), "task " + task + " finished");
        assertEquals(1000, beat.heartbeatIntervalMillis());
        assertTrue(beat.startedAt().isBefore(beat.heartbeatAt()), beat.toString());
        assertTrue(beat.heartbeatAt().isAfter(Instant.now().minusSeconds(3)), beat.toString());

        long ttl = (Long) services.redis().call("PTTL", OpsKeys.worker(WORKER));
        assertTrue(ttl > 1000 && ttl <= 3000, "the key expires after 3 intervals, pttl " + ttl);
        double score = Double.parseDouble((String) services.redis().call("ZSCORE", OpsKeys.WORKERS, WORKER));
        assertTrue(Math.abs(score - System.currentTimeMillis()) < 3000, "scored by its last beat: " + score);
    }

    @Test
    @Order(3)
    void pausesAndResumesOnControlMessagesIgnoringOthers() {
        control("not json");
        control("{\"action\":\"PAUSE\"}");
        control("{\"action\":\"STOP\",\"type\":\"noop\"}");
        control("{\"action\":\"PAUSE\",\"type\":\"send_email\"}");
        control("{\"action\":\"PAUSE\",\"type\":\"no_such_type\"}");

        // What the gateway does: the set first, then the message.
        services.redis().call("SADD", OpsKeys.PAUSED, "noop");
        control("{\"action\":\"PAUSE\",\"type\":\"noop\"}");
        await().atMost(CONTROL).until(() -> consumers(NOOP) == 0);
        assertEquals(1, consumers(SLEEP), "the other type goes on");
        assertTrue(runtime.ready(), "a paused type does not make the worker unready");
        given().get("/q/health/ready").then().statusCode(200).body(containsString("paused: noop"));
        await().atMost(BEAT).ignoreExceptions().until(() -> heartbeat().paused().equals(List.of("noop")));

        services.redis().call("SREM", OpsKeys.PAUSED, "noop");
        control("{\"action\":\"RESUME\",\"type\":\"noop\"}");
        await().atMost(CONTROL).until(() -> consumers(NOOP) == 1);
        // Still consuming after the next reconciles.
        await().during(Duration.ofMillis(1500)).atMost(BEAT).until(() -> consumers(NOOP) == 1);
    }

    @Test
    @Order(4)
    void followsThePausedSetWithoutAnyMessage() {
        services.redis().call("SADD", OpsKeys.PAUSED, "noop");
        await().atMost(BEAT).until(() -> consumers(NOOP) == 0);
        services.redis().call("SREM", OpsKeys.PAUSED, "noop");
        await().atMost(BEAT).until(() -> consumers(NOOP) == 1);
    }

    @Test
    @Order(5)
    void aPauseTheSetDoesNotConfirmIsUndoneByTheNextReconcile() {
        // A message without the set (the gateway writes the set first): Redis is the truth.
        control("{\"action\":\"PAUSE\",\"type\":\"noop\"}");
        await().atMost(CONTROL).until(() -> consumers(NOOP) == 0);
        await().atMost(BEAT).until(() -> consumers(NOOP) == 1);
    }

    @Test
    @Order(6)
    void removesItselfOnShutdown() {
        await().atMost(BEAT)
                .until(() ->
                        services.redis().call("EXISTS", OpsKeys.worker(WORKER)).equals(1L));
        heartbeats.leave(null);
        assertEquals(0L, services.redis().call("EXISTS", OpsKeys.worker(WORKER)));
        assertNull(services.redis().call("ZSCORE", OpsKeys.WORKERS, WORKER));
    }

    private long consumers(String queue) {
        return services.broker().consumerCount(queue);
    }

    private static void control(String json) {
        services.broker()
                .publish(
                        OpsKeys.CONTROL_EXCHANGE,
                        "",
                        new AMQP.BasicProperties.Builder()
                                .contentType("application/json")
                                .build(),
                        json.getBytes(StandardCharsets.UTF_8));
    }

    private static WorkerHeartbeat heartbeat() throws Exception {
        String json = (String) services.redis().call("GET", OpsKeys.worker(WORKER));
        assertTrue(json != null, "no heartbeat under " + OpsKeys.worker(WORKER));
        return Json.mapper().readValue(json, WorkerHeartbeat.class);
    }
}
