package io.conveyor.system;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker that dies or is stopped loses nothing: kill -9 redelivers, SIGTERM drains, crash loops are capped. */
class WorkerCrashTest {

    @org.junit.jupiter.api.AfterAll
    static void forgetState() {
        App.forgetState();
    }

    private static final Duration START = Duration.ofSeconds(60);
    private static final String SLEEP_QUEUE = Topology.taskQueue("sleep");

    private final LocalBroker broker = new LocalBroker().declareTopology();
    private final Map<String, String> sleepOnly =
            Map.of("CONVEYOR_WORKER_TYPES", "sleep", "CONVEYOR_WORKER_CONCURRENCY", "1");
    private App first;
    private App second;

    @BeforeEach
    void clean() {
        broker.purgeAll();
        assertEquals(
                0, broker.consumerCount(SLEEP_QUEUE), "another process consumes " + SLEEP_QUEUE + ": stop it first");
    }

    @AfterEach
    void stop() {
        for (App app : new App[] {first, second}) {
            if (app != null) {
                app.close();
            }
        }
        broker.purgeAll();
        broker.close();
    }

    @Test
    void redeliversTheTaskOfAKilledWorkerToTheNextOne() {
        first = App.worker("crash-a", sleepOnly);
        first.awaitReady(START);
        String id =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT5S\"}").publishTo(broker);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.inFlight() == 1);

        first.kill9();
        // Nothing acknowledged it: the broker holds it again, ready for the next worker.
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.messageCount(SLEEP_QUEUE) == 1);
        second = App.worker("crash-b", sleepOnly, SucceededLog.ENABLE);
        second.awaitReady(START);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> SucceededLog.ids(second).contains(id));
        assertEquals(0, broker.messageCount(SLEEP_QUEUE));
        assertEquals(0, broker.messageCount(Topology.DEAD_QUEUE), "the redelivered task was not dead-lettered");
    }

    @Test
    void finishesInFlightTasksOnSigtermBeforeExiting() {
        first = App.worker("drain-a", sleepOnly, SucceededLog.ENABLE);
        first.awaitReady(START);
        String id =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT4S\"}").publishTo(broker);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.inFlight() == 1);
        String queued =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT1S\"}").publishTo(broker);

        first.sigterm();
        int exit = first.waitForExit(Duration.ofSeconds(30));
        assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        assertTrue(
                SucceededLog.ids(first).contains(id), "the in-flight task finished and was acknowledged before exit");
        assertFalse(SucceededLog.ids(first).contains(queued), "no new task was started after SIGTERM");
        // The connection is closed, so nothing is unacknowledged: the acked task is gone, the unstarted one waits.
        assertEquals(1, broker.messageCount(SLEEP_QUEUE), "only the unstarted task is left for the next worker");
        assertEquals(
                queued,
                broker.take(SLEEP_QUEUE, Duration.ofSeconds(5)).getProps().getMessageId());
        assertEquals(0, broker.messageCount(Topology.DEAD_QUEUE));
    }

    @Test
    void returnsTasksStillRunningAfterTheDrainTimeout() {
        first = App.worker(
                "drain-timeout",
                Map.of("CONVEYOR_WORKER_TYPES", "sleep", "CONVEYOR_DRAIN_TIMEOUT", "1S"),
                "-Dconveyor.worker.timeouts.sleep=PT2M");
        first.awaitReady(START);
        String id =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT60S\"}").publishTo(broker);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.inFlight() == 1);

        first.sigterm();
        first.waitForExit(Duration.ofSeconds(20));
        // Not failed, not retried, not dead: returned as it was, for the next worker.
        GetResponse back = broker.take(SLEEP_QUEUE, Duration.ofSeconds(10));
        assertEquals(id, back.getProps().getMessageId());
        assertEquals("1", LocalBroker.header(back, Headers.ATTEMPT));
        assertEquals(0, broker.messageCount(Topology.DEAD_QUEUE));
    }

    @Test
    void theBrokerDeadLettersAMessageThatKeepsKillingWorkers() throws Exception {
        // No worker runs: this test is the worker that crashes on every delivery (a requeue counts like a crash).
        String id =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT1S\"}").publishTo(broker);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            GetResponse delivery = broker.channel().basicGet(SLEEP_QUEUE, false);
            if (delivery != null) {
                broker.channel().basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
            }
            return broker.messageCount(SLEEP_QUEUE) == 0 && delivery == null;
        });
        GetResponse dead = broker.takeById(Topology.DEAD_QUEUE, id, Duration.ofSeconds(10));
        String death = LocalBroker.header(dead, "x-death");
        assertTrue(death.contains("delivery_limit"), "x-death names the guard that fired: " + death);
        assertTrue(death.contains(SLEEP_QUEUE), death);
    }
}
