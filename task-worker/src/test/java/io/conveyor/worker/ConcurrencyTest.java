package io.conveyor.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.consume.HandlerTimeouts;
import io.conveyor.worker.consume.WorkerRuntime;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONVEYOR_WORKER_CONCURRENCY (2 in tests) bounds the handlers in flight; the rest wait in the services.broker(). */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class ConcurrencyTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    HandlerTimeouts timeouts;

    @Inject
    WorkerRuntime runtime;

    @Inject
    OutcomeRecorder outcomes;

    @org.junit.jupiter.api.AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @Test
    void neverRunsMoreHandlersThanTheConcurrency() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(aTask().ofType("sleep")
                    .withPayload("{\"duration\":\"PT0.4S\"}")
                    .publishTo(services.broker()));
        }
        AtomicInteger peak = new AtomicInteger();
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    peak.accumulateAndGet(timeouts.running(), Math::max);
                    return ids.stream()
                            .allMatch(id -> outcomes.of(id).stream().anyMatch(o -> o.status() == TaskStatus.SUCCEEDED));
                });
        assertEquals(2, peak.get(), "peak of handlers running at once");
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("sleep")));
    }

    /**
     * The default prefetch is {@value WorkerConfig.Worker#PREFETCH_PER_THREAD} per handler thread (16 here): the worker
     * takes that many tasks off the queue before the first one finishes, not only the two it can run.
     */
    @Test
    void prefetchesEightTasksPerThreadByDefault() {
        int prefetch = 2 * WorkerConfig.Worker.PREFETCH_PER_THREAD;
        int published = prefetch + 6;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < published; i++) {
            ids.add(aTask().ofType("sleep")
                    .withPayload("{\"duration\":\"PT0.3S\"}")
                    .publishTo(services.broker()));
        }
        // With a prefetch of 2 the worker would hold this many only after several rounds of tasks had finished. Waiting
        // on what the worker holds, not on the queue's count: that reads 0 before the broker has taken the publishes.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> runtime.unsettled() >= prefetch);
        long finished = ids.stream()
                .filter(id -> outcomes.of(id).stream().anyMatch(o -> o.status() == TaskStatus.SUCCEEDED))
                .count();
        assertEquals(0, finished, "tasks finished before the worker held its full prefetch");
        assertTrue(runtime.unsettled() <= prefetch, "the worker never holds more than its prefetch");

        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> ids.stream()
                        .allMatch(id -> outcomes.of(id).stream().anyMatch(o -> o.status() == TaskStatus.SUCCEEDED)));
    }
}
