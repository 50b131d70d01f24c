package io.conveyor.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.client.BatchNotFoundException;
import io.conveyor.client.BatchOptions;
import io.conveyor.client.BatchTask;
import io.conveyor.client.ConveyorClient;
import io.conveyor.client.InvalidTaskException;
import io.conveyor.client.SubmitOptions;
import io.conveyor.model.BatchAccepted;
import io.conveyor.model.BatchView;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.payload.NoopPayload;
import io.conveyor.model.payload.SleepPayload;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client's batch calls against this gateway (same keys file as {@link JavaClientTest}); no worker runs. */
@QuarkusTest
@TestProfile(JavaClientTest.WithKeysFile.class)
class JavaClientBatchTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private ConveyorClient conveyor;

    @BeforeEach
    void connect() {
        services.broker().purgeAll();
        conveyor = ConveyorClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port)
                .apiKey(JavaClientTest.PRODUCER_KEY)
                .build();
    }

    @AfterEach
    void disconnect() {
        conveyor.close();
    }

    @AfterAll
    static void forgetGeneratedKeys() {
        try (LocalRedis redis = new LocalRedis()) {
            Object keys = redis.call("KEYS", StateKeys.idempotency(JavaClientTest.CLIENT, "*"));
            if (keys instanceof List<?> found) {
                found.forEach(key -> redis.call("DEL", key.toString()));
            }
        }
    }

    private static BatchAccepted track(BatchAccepted accepted) {
        services.trackBatch(accepted.id());
        services.track(accepted.taskIds());
        return accepted;
    }

    @Test
    void submitsTypedAndNamedTasksReadsTheBatchAndAwaitsIt() throws Exception {
        BatchAccepted accepted = track(conveyor.submitBatch(
                List.of(
                        BatchTask.of(new NoopPayload()),
                        BatchTask.of(
                                new SleepPayload(Duration.ofSeconds(1)),
                                SubmitOptions.defaults().withPriority(3)),
                        BatchTask.of("noop", null, null)),
                BatchOptions.defaults().withOnComplete(BatchTask.of(new NoopPayload()))));
        assertEquals(3, accepted.size());
        assertEquals(3, accepted.taskIds().size());
        assertEquals(
                "sleep", conveyor.get(accepted.taskIds().get(1)).orElseThrow().type());

        BatchView view = conveyor.getBatch(accepted.id()).orElseThrow();
        assertEquals(3, view.size());
        assertFalse(view.done());
        assertEquals(Integer.valueOf(3), view.counts().get("QUEUED"));
        assertEquals(JavaClientTest.CLIENT, view.client());
        services.track(view.onCompleteTaskId());

        services.redis().succeed(accepted.taskIds().get(0), Map.of());
        services.redis().succeed(accepted.taskIds().get(1), Map.of());
        CompletableFuture<BatchView> awaited =
                CompletableFuture.supplyAsync(() -> conveyor.awaitBatch(accepted.id(), Duration.ofSeconds(20)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !awaited.isDone());
        services.redis()
                .transition(
                        accepted.taskIds().get(2),
                        Transition.to(TaskStatus.DEAD, Instant.now()).attempts(1));
        BatchView done = awaited.get();
        assertTrue(done.done());
        assertEquals(Integer.valueOf(2), done.counts().get("SUCCEEDED"));
        assertEquals(Integer.valueOf(1), done.counts().get("DEAD"));
        // The read that finds the batch done publishes its onComplete task, nobody else having done it here.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> conveyor.getBatch(accepted.id()).orElseThrow().onCompletePublished());
        assertEquals(
                TaskStatus.QUEUED,
                conveyor.get(done.onCompleteTaskId()).orElseThrow().status());
        assertEquals(
                accepted.id(),
                conveyor.get(done.onCompleteTaskId()).orElseThrow().batch());
    }

    @Test
    void anAwaitThatRunsOutAnswersTheBatchAsItIs() {
        BatchAccepted accepted = track(conveyor.submitBatch(List.of(BatchTask.of(new NoopPayload())), null));
        BatchView view = conveyor.awaitBatch(accepted.id(), Duration.ofMillis(500));
        assertFalse(view.done());
        assertEquals(1, view.remaining());
    }

    @Test
    void theSameKeyAnswersTheFirstBatchAgain() {
        String key = "client-batch-" + UUID.randomUUID();
        List<BatchTask> tasks = List.of(BatchTask.of(new NoopPayload()), BatchTask.of(new NoopPayload()));
        BatchAccepted first =
                track(conveyor.submitBatch(tasks, BatchOptions.defaults().withIdempotencyKey(key)));
        BatchAccepted again =
                conveyor.submitBatch(tasks, BatchOptions.defaults().withIdempotencyKey(key));
        assertEquals(first, again);
        assertEquals(2L, services.broker().messageCount(Topology.taskQueue("noop")));
    }

    @Test
    void anInvalidTaskRefusesTheBatchAndAnUnknownBatchIsEmpty() {
        InvalidTaskException invalid = assertThrows(
                InvalidTaskException.class,
                () -> conveyor.submitBatch(
                        List.of(BatchTask.of(new NoopPayload()), BatchTask.of("sleep", Map.of(), null)), null));
        assertTrue(
                invalid.problem().errors().stream().anyMatch(e -> e.field().equals("tasks[1].payload.duration")),
                invalid.problem().toString());
        assertEquals(0L, services.broker().messageCount(Topology.taskQueue("noop")));
        assertTrue(conveyor.getBatch("no-such-batch").isEmpty());
        assertThrows(BatchNotFoundException.class, () -> conveyor.awaitBatch("no-such-batch", Duration.ofSeconds(1)));
    }
}
