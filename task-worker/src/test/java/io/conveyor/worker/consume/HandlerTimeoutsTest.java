package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.conveyor.model.payload.NoopPayload;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.metrics.WorkerMetrics;
import io.conveyor.worker.retry.TaskTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Handlers under their timeout, and the running count with its gauge; no broker needed. */
class HandlerTimeoutsTest {

    private static final TaskContext CONTEXT = new TaskContext("t-1", "noop", 1, 3, null);
    private static final Duration LONG = Duration.ofMinutes(1);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HandlerTimeouts timeouts = new HandlerTimeouts(new WorkerMetrics(meters));
    private final CountDownLatch release = new CountDownLatch(1);
    /** Two threads of its own: the common pool may have one (JDK 25 on two cores), and runs the handlers in turn. */
    private final ExecutorService twoThreads = Executors.newFixedThreadPool(2);
    /** Waits until released or interrupted. */
    private final TaskHandler<Record> blocking = handler(() -> {
        release.await();
        return "done";
    });

    @AfterEach
    void stopWatchdog() {
        release.countDown();
        timeouts.close();
        twoThreads.shutdownNow();
    }

    @Test
    void returnsTheResultOfAHandlerWithinItsTime() throws Exception {
        release.countDown();

        assertEquals("done", timeouts.run(blocking, new NoopPayload(), CONTEXT, LONG));
    }

    @Test
    void interruptsAHandlerPastItsTimeoutAndFailsTheAttempt() {
        TaskTimeoutException timeout = assertThrows(
                TaskTimeoutException.class,
                () -> timeouts.run(blocking, new NoopPayload(), CONTEXT, Duration.ofMillis(100)));

        assertInstanceOf(InterruptedException.class, timeout.getCause());
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt must not reach the thread's next task");
    }

    @Test
    void leavesTheHandlersOwnFailureWhenAbandoning() {
        timeouts.abandon();

        assertThrows(
                InterruptedException.class,
                () -> timeouts.run(blocking, new NoopPayload(), CONTEXT, Duration.ofMillis(100)));
    }

    @Test
    void passesOnAFailureThatIsNotATimeout() {
        IllegalStateException thrown = new IllegalStateException("boom");
        TaskHandler<Record> failing = handler(() -> {
            throw thrown;
        });

        assertEquals(
                thrown,
                assertThrows(
                        IllegalStateException.class, () -> timeouts.run(failing, new NoopPayload(), CONTEXT, LONG)));
    }

    @Test
    void countsTheHandlersRunningInItsGauge() {
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> runQuietly(blocking), twoThreads);
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> runQuietly(blocking), twoThreads);

        await().atMost(Duration.ofSeconds(5)).until(() -> timeouts.running() == 2);
        assertEquals(2.0, meters.get("conveyor.tasks.in.flight").gauge().value());

        release.countDown();
        assertEquals("done", first.join());
        assertEquals("done", second.join());
        assertEquals(0, timeouts.running());
        assertEquals(0.0, meters.get("conveyor.tasks.in.flight").gauge().value());
    }

    private Object runQuietly(TaskHandler<Record> handler) {
        try {
            return timeouts.run(handler, new NoopPayload(), CONTEXT, LONG);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Work {
        Object call() throws Exception;
    }

    private static TaskHandler<Record> handler(Work work) {
        return new TaskHandler<>() {
            @Override
            public Class<Record> payloadType() {
                return Record.class;
            }

            @Override
            public Object handle(Record payload, TaskContext context) throws Exception {
                return work.call();
            }
        };
    }
}
