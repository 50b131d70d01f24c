package io.conveyor.worker.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handlers' progress reports against the real Redis: throttled to a few writes, written only while the reporting
 * attempt runs, and the sleep task's report of each second.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class ProgressTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskStateWriter state;

    /** A task recorded RUNNING its first attempt, as the worker records it before the handler. */
    private String running() {
        String id = services.track(UUID.randomUUID().toString());
        TaskEnvelope task = new TaskEnvelope(id, "sleep", null, 3, Instant.now());
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.RUNNING, Instant.now())
                                .attempts(1)
                                .createIfMissing(task));
        return id;
    }

    private boolean record(String id, int attempt, long done, long total, String message) throws Exception {
        return state.recordProgress(id, attempt, done, total, message)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTightLoopOfReportsMakesFewWritesAndTheLatestIsReadable() {
        String id = running();
        AttemptProgress progress = state.progress(id, 1);
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            progress.report(i, 1000, "row " + i);
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long allowed = 1 + elapsedMillis / AttemptProgress.INTERVAL.toMillis();
        assertTrue(
                progress.sent() >= 1 && progress.sent() <= allowed,
                progress.sent() + " writes for 1000 reports in " + elapsedMillis + " ms");
        await().atMost(WAIT).until(() -> services.redis().task(id).containsKey("progressAt"));
        // A report once the interval passed is written: the record ends up with the latest one.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            progress.report(1000, 1000, "all rows");
            return "1000".equals(services.redis().task(id).get("progressDone"));
        });
        Map<String, String> task = services.redis().task(id);
        assertEquals("1000", task.get("progressTotal"));
        assertEquals("all rows", task.get("progressMessage"));
        assertEquals("RUNNING", task.get("status"));
        long sent = progress.sent();
        assertTrue(sent <= allowed + 1 + WAIT.toMillis() / AttemptProgress.INTERVAL.toMillis(), "writes " + sent);
        progress.close();
        progress.report(1, 1, "after the handler returned");
        assertEquals(sent, progress.sent(), "a closed attempt writes nothing");
    }

    @Test
    void aReportOnceTheTaskEndedOrForAnotherAttemptChangesNothing() throws Exception {
        String id = running();
        assertTrue(record(id, 1, 4, -1, null));
        Map<String, String> reported = services.redis().task(id);
        assertEquals("4", reported.get("progressDone"));
        assertEquals("", reported.get("progressTotal"), "an unknown total");
        assertFalse(record(id, 2, 5, 10, "not this attempt"));
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.SUCCEEDED, Instant.now())
                                .attempts(1)
                                .result(Map.of())
                                .expireAfter(Duration.ofMinutes(5)));
        Map<String, String> succeeded = services.redis().task(id);
        assertFalse(record(id, 1, 9, 10, "too late"));
        assertEquals(succeeded, services.redis().task(id), "a finished task is left as it was");
        assertTrue((Long) services.redis().call("TTL", StateKeys.task(id)) > 0, "and keeps its expiry");
        String gone = services.track(UUID.randomUUID().toString());
        assertFalse(record(gone, 1, 1, 1, "expired"));
        assertEquals(0L, services.redis().call("EXISTS", StateKeys.task(gone)), "no record is created");
    }

    @Test
    void aNewAttemptStartsWithoutTheProgressOfTheLastOne() throws Exception {
        String id = running();
        assertTrue(record(id, 1, 7, 10, "first attempt"));
        services.redis()
                .transition(
                        id,
                        Transition.to(TaskStatus.RETRY_SCHEDULED, Instant.now()).attempts(1));
        assertEquals("7", services.redis().task(id).get("progressDone"), "a failed attempt shows how far it came");
        services.redis()
                .transition(id, Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(2));
        assertNull(services.redis().task(id).get("progressAt"));
        assertTrue(record(id, 2, 1, 10, "second attempt"));
        assertEquals("second attempt", services.redis().task(id).get("progressMessage"));
    }

    @Test
    void sleepReportsEachSecondItSlept() {
        // Under the test profile's sleep timeout of 2 s: reported at the start, then after its first second.
        String id = services.track(
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT1.8S\"}").publishTo(services.broker()));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, String> task = services.redis().task(id);
            return "RUNNING".equals(task.get("status")) && "1".equals(task.get("progressDone"));
        });
        Map<String, String> task = services.redis().task(id);
        assertEquals("2", task.get("progressTotal"));
        assertEquals("slept 1 of 2 s", task.get("progressMessage"));
        await().atMost(WAIT)
                .until(() -> "SUCCEEDED".equals(services.redis().task(id).get("status")));
    }
}
