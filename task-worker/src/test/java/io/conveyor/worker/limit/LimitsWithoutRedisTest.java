package io.conveyor.worker.limit;

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
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits fail open: without Redis, limited tasks run unchecked (and are counted), neither held nor failed. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(LimitsWithoutRedisTest.NoRedis.class)
class LimitsWithoutRedisTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    /** Points the worker at a port where no Redis listens; both probe types limited. */
    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts", "redis://localhost:1",
                    "conveyor.worker.rate.probe_rated", "1/s",
                    "conveyor.worker.max-running.probe_bounded", "1",
                    "conveyor.worker.limit.timeout", "200ms",
                    // Nothing to wait for: no Redis comes back here.
                    "conveyor.state.outage-patience", "0S");
        }
    }

    @Inject
    OutcomeRecorder outcomes;

    @Inject
    MeterRegistry registry;

    @Test
    void limitedTasksRunUncheckedWhenRedisIsDown() {
        List<String> ids = List.of(
                aTask().ofType("probe_rated").withMaxAttempts(1).publishTo(services.broker()),
                aTask().ofType("probe_rated").withMaxAttempts(1).publishTo(services.broker()),
                aTask().ofType("probe_rated").withMaxAttempts(1).publishTo(services.broker()),
                aTask().ofType("probe_bounded").withMaxAttempts(1).publishTo(services.broker()));
        for (String id : ids) {
            List<?> seen = outcomes.await(id, TaskStatus.SUCCEEDED, Duration.ofSeconds(20));
            assertEquals(1, seen.size(), "outcomes of " + id + ": " + seen);
        }
        double unchecked = registry.counter("conveyor.worker.limit.unavailable", "type", "probe_rated")
                .count();
        assertTrue(unchecked >= 3, "limit checks counted as unavailable: " + unchecked);
        assertTrue(registry.counter("conveyor.worker.limit.unavailable", "type", "probe_bounded")
                        .count()
                >= 1);
    }
}
