package io.conveyor.worker.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CONVEYOR_STATE_REPLICAS: a finished task is settled only once its write reached that many Redis replicas (WAIT).
 * The tests' Redis has none, so the write lands on it but is never confirmed by a replica: the task is settled only
 * when the outage patience runs out, not at once.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(ReplicatedWritesTest.OneReplica.class)
class ReplicatedWritesTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    public static class OneReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.state.replicas", "1",
                    "conveyor.state.write-timeout", "400ms",
                    "conveyor.state.outage-patience", "4S");
        }
    }

    @Inject
    OutcomeRecorder outcomes;

    @Test
    void aWriteNoReplicaConfirmedHoldsTheTaskUntilThePatienceRunsOut() {
        String id = services.track(aTask().ofType("noop").publishTo(services.broker()));
        // Written on the master at once, but not settled while WAIT finds no replica.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SUCCEEDED".equals(services.redis().task(id).get("status")));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> outcomes.of(id).isEmpty());
        List<TaskOutcome> seen = outcomes.await(id, TaskStatus.SUCCEEDED, Duration.ofSeconds(10));
        assertEquals(1, seen.size(), "one outcome: " + seen);
    }
}
