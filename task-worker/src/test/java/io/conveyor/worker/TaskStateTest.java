package io.conveyor.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.Topology;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker records each task's life in Redis, and will not run a task whose state says it is settled. */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class TaskStateTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @Test
    void recordsSucceededWithTheResultAndAnExpiry() {
        String id = track(aTask().ofType("noop").publishTo(services.broker()));
        await().atMost(WAIT)
                .until(() -> "SUCCEEDED".equals(services.redis().task(id).get("status")));
        Map<String, String> task = services.redis().task(id);
        assertEquals("1", task.get("attempts"));
        assertEquals("{}", task.get("result"));
        assertEquals("noop", task.get("type"));
        long ttl = (Long) services.redis().call("TTL", StateKeys.task(id));
        assertTrue(ttl > 6 * 86_400 && ttl <= 7 * 86_400, "finished tasks are kept 7 days, ttl " + ttl);
        assertEquals(
                1L,
                services.redis().call("ZSCORE", StateKeys.index(io.conveyor.model.TaskStatus.SUCCEEDED, "noop"), id)
                                == null
                        ? 0L
                        : 1L);
    }

    @Test
    void aFinishedTasksWriteIsRetriedWhileRedisRefusesWrites() {
        // The gateway recorded the task QUEUED. Then Redis refuses every write (as a demoted master or a replica does
        // during a failover) until reset: the task runs without its RUNNING write, its SUCCEEDED write fails, and is
        // retried until Redis takes writes again, instead of being dropped; then it applies over QUEUED.
        var task = aTask().ofType("noop");
        String id = track(task.id());
        record(id, "noop", "QUEUED", 0);
        services.redis().call("CONFIG", "SET", "min-replicas-to-write", "1");
        try {
            String published = task.publishTo(services.broker());
            // The noop runs at once; its outcome is settled (and observed) only once recorded, so neither comes
            // while Redis refuses. Before the retries, the write failed at once and the task was settled unrecorded.
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            "QUEUED".equals(services.redis().task(published).get("status"))
                                    && outcomes.of(published).isEmpty());
        } finally {
            services.redis().call("CONFIG", "SET", "min-replicas-to-write", "0");
        }
        List<?> seen = outcomes.await(id, io.conveyor.model.TaskStatus.SUCCEEDED, WAIT);
        assertEquals(1, seen.size(), "one outcome: " + seen);
        assertEquals("SUCCEEDED", services.redis().task(id).get("status"));
        assertEquals("1", services.redis().task(id).get("attempts"));
    }

    @Test
    void recordsEachFailedAttemptThenDead() {
        String id = track(aTask().ofType("fail")
                .withPayload("{\"times\":5}")
                .withMaxAttempts(2)
                .publishTo(services.broker()));
        await().atMost(WAIT).until(() -> "DEAD".equals(services.redis().task(id).get("status")));
        Map<String, String> task = services.redis().task(id);
        assertEquals("2", task.get("attempts"));
        assertTrue(task.get("lastError").contains("IllegalStateException"), task.get("lastError"));
        assertEquals(2L, services.redis().call("LLEN", StateKeys.failures(id)));
        long ttl = (Long) services.redis().call("TTL", StateKeys.task(id));
        assertTrue(ttl > 29 * 86_400, "dead tasks are kept 30 days, ttl " + ttl);
    }

    @Test
    void doesNotRunATaskThatAlreadySucceeded() {
        var task = aTask().ofType("fail").withPayload("{\"permanent\":true}");
        track(task.id());
        record(task.id(), "fail", "SUCCEEDED", 1);
        task.publishTo(services.broker());
        // Acknowledged without running: the handler would have dead-lettered it.
        await().atMost(WAIT).until(() -> services.broker().messageCount(Topology.taskQueue("fail")) == 0);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> outcomes.of(task.id()).isEmpty()
                        && "SUCCEEDED".equals(services.redis().task(task.id()).get("status")));
    }

    @Test
    void skipsACancelledTask() {
        var task = aTask().ofType("fail").withPayload("{\"permanent\":true}");
        track(task.id());
        record(task.id(), "fail", "CANCELLED", 0);
        task.publishTo(services.broker());
        await().atMost(WAIT).until(() -> services.broker().messageCount(Topology.taskQueue("fail")) == 0);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> outcomes.of(task.id()).isEmpty());
        assertEquals("CANCELLED", services.redis().task(task.id()).get("status"));
    }

    @Test
    void deadLettersAMessageRedeliveredTooOftenWithoutRunningIt() {
        var task = aTask().ofType("noop").withHeader("x-delivery-count", Topology.WORKER_DELIVERY_GUARD);
        track(task.id());
        task.publishTo(services.broker());
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("delivery-limit", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertNotNull(LocalBroker.header(dead, Headers.ERROR_MESSAGE));
        // The dead letter is published (and confirmed) before DEAD is recorded: it can be here first.
        await().atMost(WAIT)
                .until(() -> "DEAD".equals(services.redis().task(task.id()).get("status")));
    }

    private static String track(String id) {
        services.track(id);
        return id;
    }

    /** A task record as the gateway or an earlier attempt would have left it. */
    private static void record(String id, String type, String status, int attempts) {
        services.redis()
                .call(
                        "HSET",
                        StateKeys.task(id),
                        "id",
                        id,
                        "type",
                        type,
                        "status",
                        status,
                        "attempts",
                        Integer.toString(attempts),
                        "maxAttempts",
                        "3",
                        "createdAt",
                        "1",
                        "updatedAt",
                        "1");
    }
}
