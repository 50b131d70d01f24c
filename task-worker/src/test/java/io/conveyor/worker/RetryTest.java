package io.conveyor.worker;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Failed attempts wait in a broker-side retry tier and come back until they succeed or run out. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class RetryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @org.junit.jupiter.api.AfterEach
    void forgetState() {
        services.track(outcomes.taskIds());
    }

    @Test
    void retriesAFailingTaskUntilItSucceeds() {
        String id = aTask().ofType("fail")
                .withPayload("{\"times\":2}")
                .withMaxAttempts(3)
                .publishTo(services.broker());
        List<TaskOutcome> history = outcomes.await(id, TaskStatus.SUCCEEDED, WAIT);
        assertEquals(
                List.of(TaskStatus.RETRY_SCHEDULED, TaskStatus.RETRY_SCHEDULED, TaskStatus.SUCCEEDED),
                history.stream().map(TaskOutcome::status).toList());
        assertEquals(
                List.of(1, 2, 3), history.stream().map(TaskOutcome::attempt).toList());
        // Each retry waited in exactly one tier: no copy is left behind to run the task again later.
        for (Duration tier : Topology.RETRY_TIERS) {
            assertEquals(
                    0,
                    services.broker().messageCount(Topology.retryQueue(tier)),
                    "a copy was left in " + Topology.retryQueue(tier));
        }
    }

    @Test
    void deadLettersAfterMaxAttempts() {
        var task = aTask().ofType("fail").withPayload("{\"times\":10}").withMaxAttempts(2);
        task.publishTo(services.broker());
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("exhausted", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("2", LocalBroker.header(dead, Headers.ATTEMPT));
        assertEquals("java.lang.IllegalStateException", LocalBroker.header(dead, Headers.ERROR_CLASS));
        // The dead letter is published (and confirmed) before the outcome is recorded: it can be here first.
        assertEquals(
                List.of(TaskStatus.RETRY_SCHEDULED, TaskStatus.DEAD),
                outcomes.await(task.id(), TaskStatus.DEAD, WAIT).stream()
                        .map(TaskOutcome::status)
                        .toList());
    }

    @Test
    void delayedTaskRunsNotBeforeItsTime() {
        long notBefore = System.currentTimeMillis() + 1500;
        String id =
                aTask().ofType("noop").withHeader(Headers.NOT_BEFORE, notBefore).publishTo(services.broker());
        outcomes.await(id, TaskStatus.SUCCEEDED, WAIT);
        long ranAt = System.currentTimeMillis();
        assertEquals(true, ranAt >= notBefore, "ran " + (notBefore - ranAt) + " ms early");
    }

    @Test
    void interruptsAHandlerPastItsTimeoutAndCountsTheAttempt() {
        var task =
                aTask().ofType("sleep").withPayload("{\"duration\":\"PT5M\"}").withMaxAttempts(1);
        task.publishTo(services.broker());
        // sleep's timeout is PT2S in the test configuration.
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("exhausted", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("io.conveyor.worker.retry.TaskTimeoutException", LocalBroker.header(dead, Headers.ERROR_CLASS));
        assertEquals(true, LocalBroker.header(dead, Headers.ERROR_MESSAGE).contains("PT2S"));
    }
}
