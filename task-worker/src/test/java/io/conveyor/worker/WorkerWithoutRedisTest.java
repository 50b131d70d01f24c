package io.conveyor.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The broker, not Redis, is the source of truth for delivery: without a state store tasks still run and settle. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(WorkerWithoutRedisTest.NoRedis.class)
class WorkerWithoutRedisTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Points the worker at a port where no Redis listens. */
    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Each finished task's write is retried for a second (the outage patience), then given up.
            return Map.of("quarkus.redis.hosts", "redis://localhost:1", "conveyor.state.outage-patience", "1S");
        }
    }

    @Inject
    OutcomeRecorder outcomes;

    @Test
    void runsSucceedsAndRetriesWithoutTheStateStore() {
        String ok = aTask().ofType("noop").publishTo(services.broker());
        String flaky = aTask().ofType("fail")
                .withPayload("{\"times\":1}")
                .withMaxAttempts(2)
                .publishTo(services.broker());
        // Its progress reports cannot be written: they are dropped, the task is not held up nor failed.
        String reporting =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT1S\"}").publishTo(services.broker());
        outcomes.await(ok, TaskStatus.SUCCEEDED, Duration.ofSeconds(20));
        outcomes.await(reporting, TaskStatus.SUCCEEDED, Duration.ofSeconds(20));
        List<TaskOutcome> history = outcomes.await(flaky, TaskStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertEquals(
                List.of(TaskStatus.RETRY_SCHEDULED, TaskStatus.SUCCEEDED),
                history.stream().map(TaskOutcome::status).toList());
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> services.broker().messageCount(Topology.taskQueue("noop")) == 0
                        && services.broker().messageCount(Topology.DEAD_QUEUE) == 0);
    }
}
