package io.conveyor.worker.limit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalRedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limit scripts against the real Redis: the bucket's refill, acquiring token and slot together, leases. */
class LimitScriptsTest {

    private final String type = "limit_test_" + UUID.randomUUID().toString().substring(0, 8);
    private final String task = "limit-test-" + UUID.randomUUID();
    private final String bucket = TaskLimits.rateKey(type);
    private final String running = TaskLimits.runningKey(type);
    private LocalRedis redis;

    @BeforeEach
    void connect() {
        redis = new LocalRedis();
    }

    @AfterEach
    void cleanUp() {
        try {
            redis.call("DEL", bucket, running);
            redis.forget(List.of(task));
        } finally {
            redis.close();
        }
    }

    /** acquire.lua for this task: a rate of {@code perSecond}/s (0: none), {@code most} running (0: none). */
    private List<?> acquire(long perSecond, int most, String member) {
        return (List<?>) redis.call(
                "EVAL",
                TaskLimits.ACQUIRE,
                "3",
                StateKeys.task(task),
                bucket,
                running,
                String.valueOf(perSecond),
                "1000",
                String.valueOf(Math.max(1, perSecond)),
                String.valueOf(most),
                member,
                "60000",
                "rated",
                "bounded",
                TaskLimits.TIERS);
    }

    private double tokens() {
        return Double.parseDouble(redis.call("HGET", bucket, "tokens").toString());
    }

    @Test
    void aFullBucketGivesItsBurstThenRefusesWithoutTakingATokenUntilItRefills() {
        for (int i = 0; i < 5; i++) {
            assertEquals(1L, acquire(5, 0, "").get(0), "token " + (i + 1));
        }
        double left = tokens();
        assertTrue(left < 1, "left " + left);
        List<?> refused = acquire(5, 0, "");
        assertEquals(List.of(0L, "rate-limit", 1000L), refused);
        // The refusal took nothing; the bucket only refilled a little meanwhile.
        assertTrue(tokens() >= left && tokens() < 1, "tokens after a refusal " + tokens());

        // 400 ms later (the bucket's clock set back): two more tokens.
        long ts = Long.parseLong(redis.call("HGET", bucket, "ts").toString());
        redis.call("HSET", bucket, "ts", String.valueOf(ts - 400_000), "tokens", "0");
        assertEquals(1L, acquire(5, 0, "").get(0));
        assertEquals(1L, acquire(5, 0, "").get(0));
        assertEquals(0L, acquire(5, 0, "").get(0));
        long ttl = (Long) redis.call("PTTL", bucket);
        assertTrue(ttl > 0 && ttl <= 1000, "the bucket expires once it would be full again, in " + ttl + " ms");
    }

    @Test
    void aSlotRefusedTakesNoTokenAndATokenRefusedTakesNoSlot() {
        assertEquals(1L, acquire(5, 1, "w1:" + task + ":1").get(0));
        double before = tokens();
        assertEquals(List.of(0L, "max-running", 1000L), acquire(5, 1, "w2:" + task + ":1"));
        assertTrue(tokens() - before < 0.1, "a refused slot took a token");
        assertEquals(1L, redis.call("ZCARD", running));

        // The same attempt again (a redelivery to the same worker) keeps its slot.
        assertEquals(1L, acquire(5, 1, "w1:" + task + ":1").get(0));
        assertEquals(1L, redis.call("ZCARD", running));

        // Slots free, bucket empty: no slot is taken either.
        redis.call("DEL", running);
        redis.call("HSET", bucket, "tokens", "-10");
        assertEquals("rate-limit", acquire(5, 1, "w3:" + task + ":1").get(1));
        assertEquals(0L, redis.call("ZCARD", running));
    }

    @Test
    void expiredLeasesAreDroppedAndLiveOnesCount() {
        long now = redisMillis();
        redis.call("ZADD", running, String.valueOf(now - 1), "dead:x:1", String.valueOf(now + 60_000), "alive:y:1");
        assertEquals(1L, acquire(0, 2, "w:" + task + ":1").get(0));
        assertNull(redis.call("ZSCORE", running, "dead:x:1"));
        assertEquals("max-running", acquire(0, 2, "w:" + task + ":2").get(1));
        double lease = Double.parseDouble(
                redis.call("ZSCORE", running, "w:" + task + ":1").toString());
        assertTrue(Math.abs(lease - (now + 60_000)) < 1000, "lease until " + lease);
        long ttl = (Long) redis.call("PTTL", running);
        assertTrue(ttl > 50_000 && ttl <= 60_000, "the set lives as long as its latest lease: " + ttl);
    }

    @Test
    void aRefusalTellsAQueuedTaskWhyItWaitsButCreatesNoRecord() throws Exception {
        // Deep in debt: no token comes back within this test, however slow the machine.
        redis.call("HSET", bucket, "tokens", "-10", "ts", String.valueOf(redisMillis() * 1000));
        assertEquals(0L, acquire(5, 0, "").get(0));
        assertEquals(0L, redis.call("EXISTS", StateKeys.task(task)), "a refusal created a record");

        TaskEnvelope envelope = new TaskEnvelope(task, type, Json.mapper().readTree("{}"), 1, Instant.now());
        redis.transition(task, Transition.to(TaskStatus.QUEUED, Instant.now()).createIfMissing(envelope));
        long now = redisMillis();
        assertEquals(0L, acquire(5, 0, "").get(0));
        assertEquals("rate-limit", redis.task(task).get("waitReason"));
        assertEquals("rated", redis.task(task).get("waitMessage"));
        long until = Long.parseLong(redis.task(task).get("waitUntil"));
        assertTrue(Math.abs(until - (now + 1000)) < 500, "waits until " + (until - now) + " ms from now");

        // RUNNING (transition.lua) ends the wait in the same write.
        redis.transition(task, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        assertNull(redis.task(task).get("waitReason"));
        assertNull(redis.task(task).get("waitUntil"));
    }

    @Test
    void aFinishedTaskTakesNothing() throws Exception {
        TaskEnvelope envelope = new TaskEnvelope(task, type, Json.mapper().readTree("{}"), 1, Instant.now());
        redis.transition(
                task, Transition.to(TaskStatus.CANCELLED, Instant.now()).createIfMissing(envelope));
        assertEquals(List.of(2L), acquire(5, 1, "w:" + task + ":1"));
        assertEquals(0L, redis.call("EXISTS", bucket));
        assertEquals(0L, redis.call("EXISTS", running));
    }

    @Test
    void aReleaseFreesTheSlotAndAnUnusedAttemptGivesItsTokenBack() {
        assertEquals(1L, acquire(2, 1, "w:" + task + ":1").get(0));
        double after = tokens();
        redis.call("EVAL", TaskLimits.RELEASE, "2", running, bucket, "w:" + task + ":1", "1", "2");
        assertEquals(0L, redis.call("ZCARD", running));
        assertTrue(tokens() >= after + 1 - 1e-9, "the token came back");
        redis.call("EVAL", TaskLimits.RELEASE, "2", running, bucket, "", "1", "2");
        assertTrue(tokens() <= 2, "a bucket never holds more than its burst: " + tokens());
    }

    @Test
    void aRenewalExtendsLiveLeasesAndBringsNoReleasedOneBack() {
        long now = redisMillis();
        redis.call("ZADD", running, String.valueOf(now + 1000), "w:a:1");
        assertEquals(1L, redis.call("EVAL", TaskLimits.RENEW, "1", running, "30000", "w:a:1", "w:gone:1"));
        double lease = Double.parseDouble(redis.call("ZSCORE", running, "w:a:1").toString());
        assertTrue(lease > now + 29_000, "renewed until " + lease);
        assertNull(redis.call("ZSCORE", running, "w:gone:1"));
    }

    private long redisMillis() {
        List<?> time = (List<?>) redis.call("TIME");
        return Long.parseLong(time.get(0).toString()) * 1000
                + Long.parseLong(time.get(1).toString()) / 1000;
    }
}
