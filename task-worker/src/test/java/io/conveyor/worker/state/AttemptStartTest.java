package io.conveyor.worker.state;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.config.WorkerIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who runs an attempt and since when, against the real Redis and broker: RUNNING names this worker and the start,
 * and a failed attempt's error repeats that start.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class AttemptStartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskStateWriter state;

    @Inject
    WorkerIdentity identity;

    @Test
    void runningRecordsThisWorkerAndTheStart() {
        String id = services.track(UUID.randomUUID().toString());
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TaskEnvelope task = new TaskEnvelope(id, "sleep", null, 3, started.minusSeconds(1));

        assertTrue(state.recordRunning(task, 1, started).isEmpty());

        Map<String, String> hash = services.redis().task(id);
        assertEquals("RUNNING", hash.get("status"));
        assertEquals(identity.name(), hash.get("worker"));
        assertEquals(String.valueOf(started.toEpochMilli()), hash.get("startedAt"));
    }

    @Test
    void aFailedAttemptsErrorCarriesItsStart() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = services.track(aTask().ofType("fail")
                .withPayload("{\"times\":5}")
                .withMaxAttempts(1)
                .publishTo(services.broker()));
        await().atMost(WAIT).until(() -> "DEAD".equals(services.redis().task(id).get("status")));

        Map<String, String> hash = services.redis().task(id);
        TaskError error = TaskRecords.error((String) services.redis().call("LINDEX", StateKeys.failures(id), "0"));
        assertNotNull(error.startedAt(), hash.get("lastError"));
        assertFalse(error.startedAt().isBefore(before), error.startedAt() + " before " + before);
        assertFalse(error.startedAt().isAfter(error.at()), "started " + error.startedAt() + ", failed " + error.at());
        assertEquals(identity.name(), error.worker());
        // The record still names the attempt that ran last, with the same start.
        assertEquals(identity.name(), hash.get("worker"));
        assertEquals(String.valueOf(error.startedAt().toEpochMilli()), hash.get("startedAt"));
        assertEquals(error, TaskRecords.error(hash.get("lastError")));
    }
}
