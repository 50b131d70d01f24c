package io.conveyor.gateway.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Firing, against the real Redis and broker: every tick fires one task, named after its schedule, however many
 * tickers compete; a tick whose claimer died fires again after the lease as the same task; missed ticks after
 * downtime give no task (skip) or one (once). The gateway's own ticker runs throughout, as one more competitor.
 */
@QuarkusTest
class ScheduleFiringTest {

    private static final String QUEUE = Topology.taskQueue("noop");

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    ScheduleFiring firing;

    @Inject
    ScheduleStore store;

    private final ScheduleFixtures schedules = new ScheduleFixtures(services);

    @BeforeEach
    void purge() {
        services.broker().purge(QUEUE);
    }

    @AfterEach
    void clean() {
        schedules.clean();
    }

    @Test
    void anEverySecondScheduleFiresOneTaskATick() {
        String name = schedules.name("every");
        Instant start = Instant.now();
        schedules.create(name, "@every PT1S", "skip");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> schedules.firedTasks(name).size() >= 3);
        given().delete("/api/v1/schedules/" + name).then().statusCode(204);
        Duration window = Duration.between(start, Instant.now());

        List<String> fired = schedules.firedTasks(name);
        assertEquals(fired.size(), new HashSet<>(fired).size());
        assertTrue(
                fired.size() <= window.toSeconds() + 1,
                fired.size() + " tasks in " + window + ": more than one a second");
        // One message per task: no tick was published twice.
        await().atMost(Duration.ofSeconds(5)).until(() -> services.broker().messageCount(QUEUE) == fired.size());
        given().get("/api/v1/tasks/" + fired.get(0))
                .then()
                .statusCode(200)
                .body("schedule", equalTo(name))
                .body("type", equalTo("noop"))
                .body("status", equalTo("QUEUED"));
    }

    @Test
    void concurrentTickersNeverFireATickTwice() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = schedules.name("race" + i);
            schedules.create(name, "@every PT1S", "skip");
            names.add(name);
        }
        Map<ScheduleFiring.Fired, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        Instant until = Instant.now().plusSeconds(3);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            threads.execute(() -> {
                try {
                    while (Instant.now().isBefore(until)) {
                        firing.poll()
                                .await()
                                .atMost(Duration.ofSeconds(10))
                                .forEach(f -> outcomes.computeIfAbsent(f, k -> new AtomicInteger())
                                        .incrementAndGet());
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        threads.shutdown();
        for (String name : names) {
            given().delete("/api/v1/schedules/" + name).then().statusCode(204);
        }
        int total = 0;
        for (String name : names) {
            List<String> fired = schedules.firedTasks(name);
            assertEquals(fired.size(), new HashSet<>(fired).size());
            assertTrue(fired.size() >= 2 && fired.size() <= 5, name + " fired " + fired.size() + " in about 3 s");
            total += fired.size();
        }
        int tasks = total;
        await().atMost(Duration.ofSeconds(5)).until(() -> services.broker().messageCount(QUEUE) == tasks);
        assertTrue(outcomes.getOrDefault(ScheduleFiring.Fired.FIRED, new AtomicInteger())
                        .get()
                > 0);
    }

    @Test
    void theClaimScriptGivesADueTickToOneClaimerOnly() throws Exception {
        String name = schedules.name("claim");
        schedules.create(name, "@every PT1H", "skip");
        Instant tick = Instant.now().minusSeconds(1);
        List<ScheduleClaim> claims = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch ready = new CountDownLatch(1);
        List<Future<List<ScheduleClaim>>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            futures.add(threads.submit(() -> {
                ready.await();
                return store.claim(4, Duration.ofMinutes(1), Duration.ofMinutes(1), ids(4))
                        .await()
                        .atMost(Duration.ofSeconds(5))
                        .claims();
            }));
        }
        schedules.setTick(name, tick, null, tick);
        ready.countDown();
        for (var future : futures) {
            future.get(10, TimeUnit.SECONDS).stream()
                    .filter(c -> c.name().equals(name))
                    .forEach(claims::add);
        }
        threads.shutdown();
        // The gateway's own ticker may have taken it first: then it fired it and no test thread got it.
        assertTrue(claims.size() <= 1, claims.size() + " claims of one tick");
        if (claims.size() == 1) {
            assertEquals(tick.toEpochMilli(), claims.get(0).tick().toEpochMilli());
            assertEquals(1, claims.get(0).attempt());
            assertEquals("1", schedules.field(name, "tickAttempts"));
        }
    }

    @Test
    void aTickWhoseClaimerDiedFiresAfterTheLeaseAsTheSameTask() {
        String name = schedules.name("lease");
        schedules.create(name, "@every PT1H", "skip");
        String taskId = UUID.randomUUID().toString();
        Instant tick = Instant.now().minusSeconds(2);
        // A gateway claimed the tick (fixing its task id), maybe published, and died; its lease ends in 300 ms.
        schedules.setTick(name, tick, taskId, Instant.now().plusMillis(300));

        await().atMost(Duration.ofSeconds(5)).until(() -> taskId.equals(schedules.field(name, "lastTaskId")));
        assertEquals(List.of(taskId), schedules.firedTasks(name));
        assertEquals(
                String.valueOf(tick.plus(Duration.ofHours(1)).toEpochMilli()), schedules.field(name, "nextFireAt"));
        assertNull(schedules.field(name, "tickTask"));
        await().atMost(Duration.ofSeconds(5)).until(() -> services.broker().messageCount(QUEUE) == 1);
    }

    @Test
    void aTickWhoseTaskWasDeliveredIsNotPublishedAgain() {
        String name = schedules.name("delivered");
        schedules.create(name, "@every PT1H", "skip");
        String taskId = services.track(UUID.randomUUID().toString());
        // The dead claimer published the task and a worker started it.
        TaskEnvelope envelope = new TaskEnvelope(taskId, "noop", null, 3, Instant.now(), null, null, name);
        List<String> create = new ArrayList<>(List.of("EVAL", Scripts.CREATE, "1", StateKeys.task(taskId)));
        create.addAll(TaskRecords.createArguments(envelope, null, null, null));
        services.redis().call(create.toArray(String[]::new));
        services.redis()
                .transition(
                        taskId, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        Instant tick = Instant.now().minusSeconds(2);
        schedules.setTick(name, tick, taskId, Instant.now().plusMillis(200));

        await().atMost(Duration.ofSeconds(5)).until(() -> taskId.equals(schedules.field(name, "lastTaskId")));
        assertEquals(0, services.broker().messageCount(QUEUE));
        assertEquals(List.of(taskId), schedules.firedTasks(name));
        assertEquals("RUNNING", services.redis().task(taskId).get("status"));
    }

    @Test
    void missedTicksAfterDowntimeAreSkippedOrFiredOnce() {
        String skip = schedules.name("skip");
        String once = schedules.name("once");
        schedules.create(skip, "@every PT1H", "skip");
        schedules.create(once, "@every PT1H", "once");
        // Every gateway was down for three and a half hours.
        Instant tick = Instant.now().minus(Duration.ofMinutes(210));
        schedules.setTick(skip, tick, null, tick);
        schedules.setTick(once, tick, null, tick);

        Instant expected = tick.plus(Duration.ofHours(4));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> String.valueOf(expected.toEpochMilli()).equals(schedules.field(skip, "nextFireAt"))
                        && String.valueOf(expected.toEpochMilli()).equals(schedules.field(once, "nextFireAt")));
        assertEquals(List.of(), schedules.firedTasks(skip));
        assertNull(schedules.field(skip, "lastFireAt"));
        List<String> fired = schedules.firedTasks(once);
        assertEquals(1, fired.size());
        assertEquals(fired.get(0), schedules.field(once, "lastTaskId"));
        assertNotNull(schedules.field(once, "lastFireAt"));
        await().atMost(Duration.ofSeconds(5)).until(() -> services.broker().messageCount(QUEUE) == 1);
    }

    @Test
    void aTickThatCannotFireIsTriedAgainNotLost() {
        String name = schedules.name("unknown");
        schedules.create(name, "@every PT1H", "skip");
        // The catalogue no longer knows the type (a worker type removed since the schedule was saved).
        String definition = schedules.field(name, "definition").replace("\"noop\"", "\"retired_type\"");
        services.redis().call("HSET", ScheduleStore.key(name), "definition", definition);
        Instant tick = Instant.now().minusSeconds(1);
        schedules.setTick(name, tick, null, tick);

        await().atMost(Duration.ofSeconds(5)).until(() -> "2".equals(schedules.field(name, "tickAttempts")));
        String taskId = schedules.field(name, "tickTask");
        assertEquals(String.valueOf(tick.toEpochMilli()), schedules.field(name, "nextFireAt"));
        assertNull(schedules.field(name, "lastTaskId"));
        given().get("/q/metrics")
                .then()
                .body(containsString("conveyor_schedule_failed_total{reason=\"invalid\",schedule=\"" + name + "\"}"));

        // Put right, the same tick fires, as the task its first claim fixed.
        services.redis()
                .call("HSET", ScheduleStore.key(name), "definition", definition.replace("retired_type", "noop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> taskId.equals(schedules.field(name, "lastTaskId")));
        assertEquals(List.of(taskId), schedules.firedTasks(name));
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }
}
