package io.conveyor.worker;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.worker.consume.TaskProcessor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** CONVEYOR_WORKER_CONCURRENCY (2 in tests) bounds the handlers in flight; the rest wait in the broker. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class ConcurrencyTest {

    private static LocalBroker broker;

    @Inject
    TaskProcessor processor;

    @Inject
    OutcomeRecorder outcomes;

    @BeforeAll
    static void connect() {
        broker = new LocalBroker().declareTopology();
        broker.purgeAll();
    }

    @org.junit.jupiter.api.AfterEach
    void forgetState() {
        try (io.conveyor.testsupport.LocalRedis redis = new io.conveyor.testsupport.LocalRedis()) {
            redis.forget(outcomes.taskIds());
        }
    }

    @AfterAll
    static void cleanUp() {
        broker.purgeAll();
        broker.close();
    }

    @Test
    void neverRunsMoreHandlersThanTheConcurrency() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(aTask().ofType("sleep").withPayload("{\"duration\":\"PT0.4S\"}").publishTo(broker));
        }
        AtomicInteger peak = new AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
            peak.accumulateAndGet(processor.running(), Math::max);
            return ids.stream().allMatch(id -> outcomes.of(id).stream().anyMatch(o -> o.status() == TaskStatus.SUCCEEDED));
        });
        assertEquals(2, peak.get(), "peak of handlers running at once");
        assertEquals(0, broker.messageCount(Topology.taskQueue("sleep")));
    }
}
