package io.conveyor.worker.limit;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.outcome.TaskOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-type limits through the real broker and Redis: a rate spreads starts out, a most-running count bounds the
 * handlers at once, a dead worker's lease blocks only until it expires, a running task's lease is renewed. Limited
 * tasks wait (their view says why) and none fails.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(TaskLimitsTest.Limited.class)
class TaskLimitsTest {

    private static final String RATED = "probe_rated";
    private static final String BOUNDED = "probe_bounded";
    private static final long LEASE_MS = 3000;

    /** Room for more handlers than the limits allow; the running limit given as its environment variable. */
    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.worker.concurrency",
                    "8",
                    "conveyor.worker.rate." + RATED,
                    "5/s",
                    "CONVEYOR_WORKER_MAX_RUNNING_PROBE_BOUNDED",
                    "2",
                    "conveyor.worker.limit.lease",
                    "PT3S");
        }
    }

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    LimitProbe probe;

    @Inject
    OutcomeRecorder outcomes;

    @Inject
    MeterRegistry registry;

    @Inject
    TaskLimits limits;

    @BeforeEach
    void fresh() {
        probe.reset();
        probe.open();
        services.redis().call("DEL", services.trackKey(TaskLimits.rateKey(RATED)));
        services.redis().call("DEL", services.trackKey(TaskLimits.runningKey(BOUNDED)));
    }

    @AfterEach
    void forget() {
        probe.open();
        services.track(outcomes.taskIds());
    }

    @Test
    void readsBothSpellingsOfTheLimits() {
        assertEquals(Set.of(RATED, BOUNDED), limits.limits().keySet());
        assertEquals("5/s", limits.limits().get(RATED).rate().toString());
        assertEquals(2, limits.limits().get(BOUNDED).maxRunning());
    }

    @Test
    void aRateSpreadsStartsOutAndFailsNothing() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(queued(aTask().ofType(RATED).withPayload("{}").withMaxAttempts(1)));
        }
        Set<String> sawWaiting = ConcurrentHashMap.newKeySet();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (String id : ids) {
                        TaskView view = TaskRecords.view(services.redis().task(id), Instant.now());
                        if (view != null && view.waiting() != null) {
                            assertEquals("rate-limit", view.waiting().reason());
                            assertEquals(TaskStatus.QUEUED, view.status());
                            assertTrue(
                                    view.waiting().message().contains("5/s"),
                                    view.waiting().message());
                            assertNotNull(view.waiting().until());
                            sawWaiting.add(id);
                        }
                    }
                    return ids.stream().allMatch(id -> succeeded(id));
                });
        ids.forEach(this::succeededOnceAtTheFirstAttempt);
        assertFalse(sawWaiting.isEmpty(), "no task's view said it waited for the rate");

        List<Long> starts =
                probe.starts(RATED).stream().map(LimitProbe.Start::at).sorted().toList();
        assertEquals(20, starts.size());
        // A bucket of 5 (one second's worth) refilled at 5/s: at most 5 + 5 start within any second.
        for (int i = 0; i < starts.size(); i++) {
            long from = starts.get(i);
            long within =
                    starts.stream().filter(t -> t >= from && t < from + 1000).count();
            assertTrue(within <= 10, within + " starts within a second from " + from + ": " + starts);
        }
        // 5 at once, then the other 15 at 5/s: at least 3 s, less what the first second's refill lets through.
        long span = starts.get(starts.size() - 1) - starts.get(0);
        assertTrue(span >= 2000, "20 starts took only " + span + " ms: " + starts);
        assertTrue(
                registry.counter("conveyor.worker.limited", "type", RATED, "reason", "rate-limit")
                                .count()
                        >= 15,
                "refusals counted");
        ids.forEach(id -> assertNull(services.redis().task(id).get("waitReason"), "the wait is cleared"));
    }

    @Test
    void aRunningLimitBoundsTheHandlersAtOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(queued(
                    aTask().ofType(BOUNDED).withPayload("{\"holdMillis\":300}").withMaxAttempts(1)));
        }
        Set<String> sawWaiting = ConcurrentHashMap.newKeySet();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    for (String id : ids) {
                        TaskView view = TaskRecords.view(services.redis().task(id), Instant.now());
                        if (view != null && view.waiting() != null) {
                            assertEquals("max-running", view.waiting().reason());
                            sawWaiting.add(id);
                        }
                    }
                    return ids.stream().allMatch(id -> succeeded(id));
                });
        ids.forEach(this::succeededOnceAtTheFirstAttempt);
        assertEquals(2, probe.peak(BOUNDED), "most handlers of the type running at once");
        assertFalse(sawWaiting.isEmpty(), "no task's view said it waited for a slot");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> zcard(TaskLimits.runningKey(BOUNDED)) == 0);
    }

    @Test
    void aDeadWorkersLeasesBlockOnlyUntilTheyExpire() {
        long expiry = redisMillis() + 2500;
        services.redis()
                .call(
                        "ZADD",
                        TaskLimits.runningKey(BOUNDED),
                        String.valueOf(expiry),
                        "dead-worker:a:1",
                        String.valueOf(expiry),
                        "dead-worker:b:1");
        String id = queued(aTask().ofType(BOUNDED).withPayload("{}").withMaxAttempts(1));
        outcomes.await(id, TaskStatus.SUCCEEDED, Duration.ofSeconds(15));
        succeededOnceAtTheFirstAttempt(id);
        long started = probe.starts(BOUNDED).get(0).at();
        // Same machine, same clock as Redis's: the task waited for the leases, then ran within a tier or two.
        assertTrue(started >= expiry - 50, "started " + (expiry - started) + " ms before the dead leases expired");
        assertTrue(started <= expiry + 4000, "started " + (started - expiry) + " ms after the dead leases expired");
        assertEquals(null, services.redis().call("ZSCORE", TaskLimits.runningKey(BOUNDED), "dead-worker:a:1"));
    }

    @Test
    void aRunningTasksLeaseIsRenewed() {
        probe.reset();
        String id =
                queued(aTask().ofType(BOUNDED).withPayload("{\"hold\":true}").withMaxAttempts(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> probe.running(BOUNDED) == 1);
        long started = System.currentTimeMillis();
        String member = ((List<?>) services.redis().call("ZRANGE", TaskLimits.runningKey(BOUNDED), "0", "-1"))
                .get(0)
                .toString();
        assertTrue(member.endsWith(":" + id + ":1"), member);
        // Past one lease: without renewals the slot would be gone by now.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> System.currentTimeMillis() - started > LEASE_MS + 1000);
        Object score = services.redis().call("ZSCORE", TaskLimits.runningKey(BOUNDED), member);
        assertNotNull(score, "the running task's lease was dropped");
        assertTrue(Double.parseDouble(score.toString()) > redisMillis(), "the lease is in the past");
        probe.open();
        outcomes.await(id, TaskStatus.SUCCEEDED, Duration.ofSeconds(10));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> services.redis().call("ZSCORE", TaskLimits.runningKey(BOUNDED), member) == null);
    }

    /** Publishes the task with its QUEUED record, as the gateway would; returns its id. */
    private String queued(TaskMessageBuilder task) {
        try {
            TaskEnvelope envelope = Json.mapper().readValue(task.body(), TaskEnvelope.class);
            services.redis()
                    .transition(
                            envelope.id(),
                            Transition.to(TaskStatus.QUEUED, Instant.now()).createIfMissing(envelope));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return services.track(task.publishTo(services.broker()));
    }

    private boolean succeeded(String id) {
        return outcomes.of(id).stream().anyMatch(o -> o.status() == TaskStatus.SUCCEEDED);
    }

    private void succeededOnceAtTheFirstAttempt(String id) {
        List<TaskOutcome> seen = outcomes.of(id);
        assertEquals(1, seen.size(), "outcomes of " + id + ": " + seen);
        assertEquals(TaskStatus.SUCCEEDED, seen.get(0).status());
        assertEquals(1, seen.get(0).attempt());
        assertEquals("1", services.redis().task(id).get("attempts"));
    }

    private long zcard(String key) {
        return (Long) services.redis().call("ZCARD", key);
    }

    private long redisMillis() {
        List<?> time = (List<?>) services.redis().call("TIME");
        return Long.parseLong(time.get(0).toString()) * 1000
                + Long.parseLong(time.get(1).toString()) / 1000;
    }
}
