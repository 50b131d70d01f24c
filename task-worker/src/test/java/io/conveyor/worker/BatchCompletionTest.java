package io.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.Transition;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.testsupport.TaskMessageBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's onComplete task is published by the worker that ends the batch's last task, and by the worker that gets
 * that task's message again after a crash, before it acknowledges it; then it runs like any task, once.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class BatchCompletionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @Test
    void theWorkerThatEndsTheLastTaskPublishesTheOnCompleteTask() {
        TaskMessageBuilder succeeds = aTask().ofType("noop");
        TaskMessageBuilder dies = aTask().ofType("fail").withPayload("{\"permanent\":true}");
        TaskEnvelope onComplete = envelope("noop");
        String batch = batch(List.of(envelope(succeeds), envelope(dies)), onComplete);

        succeeds.publishTo(services.broker());
        dies.publishTo(services.broker());

        outcomes.await(onComplete.id(), TaskStatus.SUCCEEDED, WAIT);
        assertEquals("SUCCEEDED", services.redis().task(succeeds.id()).get("status"));
        assertEquals("DEAD", services.redis().task(dies.id()).get("status"));
        assertEquals(batch, services.redis().task(onComplete.id()).get("completes"));
        await().atMost(WAIT).until(() -> services.redis().batch(batch).containsKey("fired"));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> outcomes.of(onComplete.id()).size() == 1);
    }

    @Test
    void theRedeliveryOfTheLastTaskAfterACrashPublishesTheOnCompleteTask() {
        TaskMessageBuilder last = aTask().ofType("noop");
        TaskEnvelope onComplete = envelope("noop");
        String batch = batch(List.of(envelope(last)), onComplete);
        // A worker ran it and recorded SUCCEEDED, then died before publishing the onComplete task or acking.
        services.redis()
                .transition(
                        last.id(),
                        Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(1));
        List<?> answer = (List<?>) services.redis()
                .transition(
                        last.id(),
                        Transition.to(TaskStatus.SUCCEEDED, Instant.now())
                                .attempts(1)
                                .result(java.util.Map.of()));
        assertEquals(batch, answer.get(2));

        last.publishTo(services.broker());

        outcomes.await(onComplete.id(), TaskStatus.SUCCEEDED, WAIT);
        assertTrue(outcomes.of(last.id()).isEmpty(), "the finished task did not run again");
        await().atMost(WAIT).until(() -> services.redis().batch(batch).containsKey("fired"));
    }

    private static String batch(List<TaskEnvelope> members, TaskEnvelope onComplete) {
        String id = services.trackBatch(UUID.randomUUID().toString());
        members.forEach(m -> services.track(m.id()));
        services.track(onComplete.id());
        services.redis().createBatch(id, null, members, onComplete);
        return id;
    }

    private static TaskEnvelope envelope(TaskMessageBuilder task) {
        try {
            return Json.mapper().readValue(task.body(), TaskEnvelope.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TaskEnvelope envelope(String type) {
        return new TaskEnvelope(
                UUID.randomUUID().toString(), type, Json.mapper().createObjectNode(), 3, Instant.now());
    }
}
