package io.conveyor.gateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.conveyor.amqp.BatchCompleter;
import io.conveyor.amqp.ConfirmingPublisher;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.state.BatchRecords;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalRedis;
import io.conveyor.testsupport.LocalServices;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's onComplete task is published exactly once, whoever learns that the batch is done and however they race
 * or die: the state store's scripts and {@link BatchCompleter} against real Redis and RabbitMQ, no app running.
 */
class BatchCompletionTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static final String QUEUE = Topology.taskQueue("noop");
    private static final ConfirmingPublisher publisher = new ConfirmingPublisher(2);

    @BeforeAll
    static void open() throws Exception {
        publisher.open(services.broker().connection());
    }

    @AfterAll
    static void cleanUp() {
        services.broker().purgeAll();
    }

    @BeforeEach
    void purge() {
        services.broker().purgeAll();
    }

    @Test
    void ofTwoConcurrentLastTransitionsExactlyOneIsToldTheBatchIsDue() throws Exception {
        Batch batch = batch(2);
        for (String task : batch.members()) {
            services.redis()
                    .transition(
                            task,
                            Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<String>> dues = new ArrayList<>();
        for (String task : batch.members()) {
            dues.add(CompletableFuture.supplyAsync(() -> {
                try (LocalRedis own = new LocalRedis()) {
                    start.await();
                    return due(own.transition(task, succeeded()));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        start.countDown();
        List<String> answers = dues.stream().map(CompletableFuture::join).toList();
        assertEquals(1, answers.stream().filter(batch.id()::equals).count(), answers.toString());
        assertEquals(1, answers.stream().filter(String::isEmpty).count(), answers.toString());
        assertEquals("0", services.redis().batch(batch.id()).get("remaining"));
    }

    @Test
    void manyConcurrentCompletersPublishTheOnCompleteTaskOnce() {
        Batch batch = batch(1);
        String due = finish(batch.members().get(0));
        assertEquals(batch.id(), due);
        List<CompletableFuture<Void>> completers = new ArrayList<>();
        List<LocalRedis> connections = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LocalRedis own = new LocalRedis();
            connections.add(own);
            completers.add(completer(own, Duration.ofSeconds(10)).complete(batch.id()));
        }
        completers.forEach(CompletableFuture::join);
        connections.forEach(LocalRedis::close);
        assertPublishedOnce(batch);
    }

    @Test
    void aRedeliveryAfterACrashBeforeThePublishPublishesItAndLaterOnesDoNot() {
        Batch batch = batch(2);
        assertEquals("", finish(batch.members().get(0)));
        // The worker that ends the last task dies before publishing: nothing but the record knows.
        assertEquals(batch.id(), finish(batch.members().get(1)));
        assertEquals(0L, services.broker().messageCount(QUEUE));

        // Its message comes back to a worker, whose RUNNING is refused: the batch is named again.
        Object redelivered = services.redis().transition(batch.members().get(1), running());
        assertEquals("refused", ((List<?>) redelivered).get(0));
        assertEquals(batch.id(), due(redelivered));
        completer(services.redis(), Duration.ofSeconds(10)).complete(batch.id()).join();
        assertPublishedOnce(batch);

        // Once published, no redelivery names it any more, and completing again publishes nothing.
        assertEquals("", due(services.redis().transition(batch.members().get(1), running())));
        assertEquals("", due(services.redis().transition(batch.members().get(0), running())));
        completer(services.redis(), Duration.ofSeconds(10)).complete(batch.id()).join();
        assertEquals(0L, services.broker().messageCount(QUEUE));
    }

    @Test
    void aClaimantThatDiedBeforePublishingIsReplacedWhenItsLeaseEnds() {
        Batch batch = batch(1);
        finish(batch.members().get(0));
        // A claimant takes the lease and dies.
        List<?> claim = (List<?>) services.redis()
                .call(
                        "EVAL",
                        Scripts.BATCH_CLAIM,
                        "2",
                        BatchRecords.claimKeys(batch.id()).get(0),
                        BatchRecords.claimKeys(batch.id()).get(1),
                        "dead-claimant",
                        "1500");
        assertEquals("due", claim.get(0));
        long started = System.nanoTime();
        completer(services.redis(), Duration.ofMillis(1500))
                .complete(batch.id())
                .join();
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(1000).toNanos(), "waited for the lease");
        assertPublishedOnce(batch);
    }

    @Test
    void aReplayedDeadMemberCountsAgainOnlyWhileTheBatchIsNotDone() {
        Batch batch = batch(2);
        String first = batch.members().get(0);
        services.redis().transition(first, running());
        services.redis()
                .transition(first, Transition.to(TaskStatus.DEAD, Instant.now()).attempts(1));
        assertEquals("1", services.redis().batch(batch.id()).get("remaining"));
        services.redis()
                .transition(
                        first, Transition.to(TaskStatus.QUEUED, Instant.now()).attempts(0));
        assertEquals("2", services.redis().batch(batch.id()).get("remaining"));
        assertEquals("", finish(first));
        assertEquals(batch.id(), finish(batch.members().get(1)));
        assertNull(services.redis().batch(batch.id()).get("fired"));
    }

    private record Batch(String id, List<String> members, String onComplete) {}

    /** A batch of {@code size} noop tasks with a noop onComplete task, recorded as the gateway records it. */
    private static Batch batch(int size) {
        String id = services.trackBatch(UUID.randomUUID().toString());
        List<TaskEnvelope> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(new TaskEnvelope(
                    services.track(UUID.randomUUID().toString()),
                    "noop",
                    Json.mapper().createObjectNode(),
                    3,
                    Instant.now()));
        }
        TaskEnvelope onComplete = new TaskEnvelope(
                services.track(UUID.randomUUID().toString()),
                "noop",
                Json.mapper().createObjectNode(),
                3,
                Instant.now());
        services.redis().createBatch(id, null, members, onComplete);
        return new Batch(id, members.stream().map(TaskEnvelope::id).toList(), onComplete.id());
    }

    private static void assertPublishedOnce(Batch batch) {
        GetResponse message = services.broker().take(QUEUE, Duration.ofSeconds(5));
        assertEquals(batch.onComplete(), message.getProps().getMessageId());
        assertEquals(0L, services.broker().messageCount(QUEUE));
        assertTrue(services.redis().batch(batch.id()).containsKey("fired"));
        assertEquals("QUEUED", services.redis().task(batch.onComplete()).get("status"));
        assertEquals(batch.id(), services.redis().task(batch.onComplete()).get("completes"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> services.redis()
                        .call("EXISTS", BatchRecords.claimKeys(batch.id()).get(1))
                        .equals(0L));
    }

    private static String finish(String task) {
        services.redis().transition(task, running());
        return due(services.redis().transition(task, succeeded()));
    }

    private static Transition running() {
        return Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1);
    }

    private static Transition succeeded() {
        return Transition.to(TaskStatus.SUCCEEDED, Instant.now()).attempts(1).result(java.util.Map.of());
    }

    private static String due(Object answer) {
        return (String) ((List<?>) answer).get(2);
    }

    private static BatchCompleter completer(LocalRedis redis, Duration lease) {
        return new BatchCompleter(
                (script, keys, args) -> CompletableFuture.supplyAsync(() -> {
                    List<String> command = new ArrayList<>(List.of("EVAL", script, String.valueOf(keys.size())));
                    command.addAll(keys);
                    command.addAll(args);
                    Object answer = redis.call(command.toArray(String[]::new));
                    List<String> out = new ArrayList<>();
                    if (answer instanceof List<?> list) {
                        list.forEach(item -> out.add(item == null ? null : item.toString()));
                    }
                    return out;
                }),
                publisher,
                Duration.ofSeconds(5),
                lease);
    }
}
