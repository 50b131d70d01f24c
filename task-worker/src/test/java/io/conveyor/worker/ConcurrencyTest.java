package io.conveyor.worker;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.conveyor.worker.consume.TaskProcessor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** CONVEYOR_WORKER_CONCURRENCY (2 in tests) bounds the handlers in flight; the rest wait in the services.broker(). */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class ConcurrencyTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    TaskProcessor processor;

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
            ids.add(aTask().ofType("sleep").withPayload("{\"duration\":\"PT0.4S\"}").publishTo(services.broker()));
        }
        AtomicInteger peak = new AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
            peak.accumulateAndGet(processor.running(), Math::max);
            return ids.stream().allMatch(id -> outcomes.of(id).stream().anyMatch(o -> o.status() == TaskStatus.SUCCEEDED));
        });
        assertEquals(2, peak.get(), "peak of handlers running at once");
        assertEquals(0, services.broker().messageCount(Topology.taskQueue("sleep")));
    }
}
