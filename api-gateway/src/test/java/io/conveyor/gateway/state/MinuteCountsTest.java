package io.conveyor.gateway.state;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.state.BatchRecords;
import io.conveyor.model.state.KeptOptions;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-minute counts the state scripts keep for the operator console (OpsKeys.accepted and finished), against the
 * real Redis. Each test counts a task type of its own, so other tests' tasks never show in its figures; the counts
 * it made are removed after it.
 */
@QuarkusTest
class MinuteCountsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskStore store;

    private final String type = "ops-count-" + UUID.randomUUID();
    private final List<String> countKeys = new ArrayList<>();

    @AfterEach
    void removeTheCounts() {
        // Only this test's field: the hashes are shared by every task counted in the same minute.
        countKeys.forEach(key -> services.redis().call("HDEL", key, type));
    }

    private TaskEnvelope task(Instant created) {
        String id = services.track(UUID.randomUUID().toString());
        return new TaskEnvelope(id, type, Json.mapper().createObjectNode(), 3, created, null);
    }

    /** This test's count in the hashes of {@code key} over the minutes from {@code from} to {@code to}. */
    private long count(boolean accepted, Instant from, Instant to) {
        long sum = 0;
        for (long minute = OpsKeys.epochMinute(from); minute <= OpsKeys.epochMinute(to); minute++) {
            String key = accepted ? OpsKeys.accepted(minute) : OpsKeys.finished(minute);
            if (!countKeys.contains(key)) {
                countKeys.add(key);
            }
            Object value = services.redis().call("HGET", key, type);
            sum += value == null ? 0 : Long.parseLong((String) value);
        }
        return sum;
    }

    private long count(boolean accepted, Instant at) {
        return count(accepted, at, at);
    }

    private void assertExpiresWithin16Minutes(String key) {
        long ttl = (Long) services.redis().call("TTL", key);
        assertTrue(ttl > 15 * 60 && ttl <= 16 * 60, key + " expires in " + ttl + " s");
    }

    @Test
    void aCreatedTaskCountsOnceInItsCreationMinute() {
        // Two minutes ago: the minute is the record's, not the call's.
        Instant created = Instant.now().minus(2, ChronoUnit.MINUTES);
        TaskEnvelope task = task(created);
        assertTrue(store.create(task, null, null).await().atMost(WAIT));
        assertEquals(1, count(true, created));
        assertExpiresWithin16Minutes(OpsKeys.accepted(OpsKeys.epochMinute(created)));

        assertEquals(false, store.create(task, null, null).await().atMost(WAIT), "it exists already");
        assertEquals(1, count(true, created), "a create that changed nothing does not count");
        assertEquals(0, count(false, created));
    }

    @Test
    void aBatchCountsItsMembersAndItsOnCompleteTaskWhenItsRecordIsCreated() throws Exception {
        Instant created = Instant.now();
        String batchId = services.trackBatch(UUID.randomUUID().toString());
        TaskEnvelope then = task(created);
        TaskStore.NewTask onComplete = new TaskStore.NewTask(
                new TaskEnvelope(then.id(), type, Json.mapper().readTree("{\"then\":1}"), 2, created, null),
                null,
                KeptOptions.of(new TaskOptions(2, null, 5, null), null));
        List<TaskStore.NewTask> members = List.of(
                new TaskStore.NewTask(task(created), null, null), new TaskStore.NewTask(task(created), null, null));
        store.createBatch(batchId, created, null, members, onComplete, null)
                .await()
                .atMost(WAIT);
        assertEquals(2, count(true, created));

        for (TaskStore.NewTask member : members) {
            services.redis()
                    .transition(
                            member.task().id(),
                            Transition.to(TaskStatus.CANCELLED, created).nextAttemptAt(null));
        }
        assertEquals(2, count(false, created));
        // The batch is done: its onComplete task's record is created by the one claimant, and counted once.
        List<String> claim = BatchRecords.claimKeys(batchId);
        assertEquals(
                "due",
                store.script(Scripts.BATCH_CLAIM, claim, List.of("a", "60000"))
                        .toCompletableFuture()
                        .join()
                        .get(0));
        assertEquals(
                "busy",
                store.script(Scripts.BATCH_CLAIM, claim, List.of("b", "60000"))
                        .toCompletableFuture()
                        .join()
                        .get(0));
        assertEquals(3, count(true, created));
        // The record the claim created keeps what the gateway recorded for it, as a submitted task's does.
        Map<String, String> record = services.redis().task(then.id());
        assertEquals("{\"then\":1}", record.get("payload"));
        assertEquals(
                Json.mapper().readTree("{\"maxAttempts\":2,\"priority\":5}"),
                Json.mapper().readTree(record.get("options")));
        assertEquals("{}", services.redis().task(members.get(0).task().id()).get("payload"));
    }

    @Test
    void aTaskCountsOnceWhenItFinishes() {
        Instant created = Instant.now().minus(3, ChronoUnit.MINUTES);
        TaskEnvelope task = task(created);
        store.create(task, null, null).await().atMost(WAIT);
        Instant done = created.plus(1, ChronoUnit.MINUTES);
        services.redis()
                .transition(
                        task.id(), Transition.to(TaskStatus.RUNNING, created).attempts(1));
        assertEquals(0, count(false, created, done), "RUNNING is not finished");

        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.SUCCEEDED, done).attempts(1).result("ok"));
        assertEquals(1, count(false, done), "counted in the minute of the move");
        assertEquals(0, count(false, created));
        assertExpiresWithin16Minutes(OpsKeys.finished(OpsKeys.epochMinute(done)));

        List<?> again = (List<?>) services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.SUCCEEDED, done).attempts(1).result("ok"));
        assertEquals("refused", again.get(0));
        assertEquals(1, count(false, done), "a refused move does not count");
    }

    @Test
    void aMoveBetweenTerminalStatesDoesNotCount() {
        Instant at = Instant.now();
        TaskEnvelope task = task(at);
        store.create(task, null, null).await().atMost(WAIT);
        services.redis().transition(task.id(), Transition.to(TaskStatus.DEAD, at));
        assertEquals(1, count(false, at));

        // No TaskStatus allows it, but the script must not count it if a caller ever does.
        List<String> args =
                new ArrayList<>(Transition.to(TaskStatus.CANCELLED, at).arguments());
        args.set(1, ",DEAD,");
        List<String> command = new ArrayList<>(
                List.of("EVAL", Scripts.TRANSITION, "2", StateKeys.task(task.id()), StateKeys.failures(task.id())));
        command.addAll(args);
        List<?> answer = (List<?>) ((List<?>) services.redis().call(command.toArray(String[]::new))).get(0);
        assertEquals(List.of("ok", "DEAD", ""), answer);
        assertEquals(1, count(false, at));
    }

    @Test
    void aCancelCountsAndARefusedCancelDoesNot() {
        Instant before = Instant.now();
        TaskEnvelope task = task(before);
        store.create(task, null, null).await().atMost(WAIT);
        assertEquals("ok", store.cancel(task.id()).await().atMost(WAIT).get(0));
        assertEquals("refused", store.cancel(task.id()).await().atMost(WAIT).get(0));
        assertEquals(1, count(false, before, Instant.now()));
    }

    @Test
    void aMissingRecordCreatedTerminalCountsAsFinished() {
        Instant at = Instant.now();
        TaskEnvelope task = task(at);
        services.redis()
                .transition(
                        task.id(),
                        Transition.to(TaskStatus.DEAD, at).attempts(1).createIfMissing(task));
        assertEquals(1, count(false, at));
        assertEquals(0, count(true, at), "the record was not created by a submission");
    }
}
