package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.handler.probe.ThreadProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain with handlers on virtual threads, in process: a shutdown finishes what runs, leaves what had not started
 * for the broker, and returns, untouched, what outlives the drain timeout. The drain ends this app, so the class has
 * a profile of its own (the next class starts a fresh one).
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@TestProfile(DrainTest.TwoProbesAtOnce.class)
class DrainTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String QUEUE = Topology.taskQueue("probe_blocking");

    /** Blocking probes only, two at a time, and a drain timeout a stuck probe outlives (its own timeout is 5 s). */
    public static class TwoProbesAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.worker.types", "probe_blocking",
                    "conveyor.worker.concurrency", "2",
                    "conveyor.worker.drain-timeout", "2S");
        }
    }

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    WorkerRuntime runtime;

    @Inject
    ThreadProbe probe;

    @Inject
    OutcomeRecorder outcomes;

    @AfterEach
    void releaseProbes() {
        probe.open();
        services.track(outcomes.taskIds());
    }

    private String probeTask(String payload) {
        return services.track(
                aTask().ofType("probe_blocking").withPayload(payload).publishTo(services.broker()));
    }

    @Test
    void finishesRunningTasksAndReturnsTheUnstartedAndTheStuckOnesUntouched() throws Exception {
        probe.close();
        String finishing = probeTask("{\"hold\":true}");
        String stuck = probeTask("{\"forever\":true}");
        await().atMost(WAIT).until(() -> probe.running() == 2);
        String waiting = probeTask("{\"hold\":true}");
        String alsoWaiting = probeTask("{\"hold\":true}");
        await().atMost(WAIT).until(() -> runtime.unsettled() == 4);

        CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> runtime.drain(null));
        // Not the queue's consumer count: a quorum queue counts a cancelled consumer until its deliveries settle.
        await().atMost(WAIT).until(() -> runtime.state().startsWith("shutting down"));
        assertEquals(false, runtime.ready());
        probe.open();

        outcomes.await(finishing, TaskStatus.SUCCEEDED, WAIT);
        drain.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> probe.interrupted().contains(stuck));
        assertEquals(
                Set.of(finishing, stuck),
                probe.onVirtualThread().keySet(),
                "tasks started: none after the drain began");
        assertEquals(true, probe.onVirtualThread().get(stuck));
        assertEquals(List.of(), outcomes.of(stuck), "the stuck task was neither retried nor dead-lettered");

        await().atMost(WAIT).until(() -> services.broker().messageCount(QUEUE) == 3);
        Set<String> returned = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            GetResponse back = services.broker().take(QUEUE, WAIT);
            returned.add(back.getProps().getMessageId());
            assertEquals("1", LocalBroker.header(back, Headers.ATTEMPT), "returned at the same attempt");
        }
        assertEquals(Set.of(stuck, waiting, alsoWaiting), returned);
        assertEquals(0, services.broker().messageCount(Topology.DEAD_QUEUE));
        assertTrue(outcomes.of(waiting).isEmpty() && outcomes.of(alsoWaiting).isEmpty(), "unstarted tasks ran");
    }
}
