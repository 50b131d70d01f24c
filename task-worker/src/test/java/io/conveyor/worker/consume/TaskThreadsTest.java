package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.conveyor.worker.config.ThreadKind;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The concurrency limit as a semaphore over both kinds of thread, and what a drain relies on; no broker needed. */
class TaskThreadsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<TaskThreads> made = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final Map<String, Thread> threadOf = new ConcurrentHashMap<>();
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stopThreads() {
        gate.countDown();
        made.forEach(TaskThreads::shutdownNow);
    }

    private TaskThreads threads(int concurrency) {
        TaskThreads threads = new TaskThreads(concurrency);
        made.add(threads);
        return threads;
    }

    /** A delivery that runs until the gate opens (or it is interrupted), recording what it saw. */
    private Runnable held(String name) {
        return () -> {
            started.add(name);
            threadOf.put(name, Thread.currentThread());
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                gate.await();
            } catch (InterruptedException e) {
                interrupted.add(name);
            } finally {
                running.decrementAndGet();
                ended.add(name);
            }
        };
    }

    @Test
    void neverRunsMoreDeliveriesThanTheConcurrencyAcrossBothKindsOfThread() {
        TaskThreads threads = threads(3);
        for (int i = 0; i < 12; i++) {
            threads.execute(i % 2 == 0 ? ThreadKind.VIRTUAL : ThreadKind.PLATFORM, held("d" + i));
        }

        await().atMost(WAIT).until(() -> running.get() == 3);
        assertEquals(3, threads.active());
        assertEquals(3, started.size(), "deliveries started while three held the permits");

        gate.countDown();
        await().atMost(WAIT).until(() -> ended.size() == 12);
        assertEquals(3, peak.get(), "most deliveries running at once");
        await().atMost(WAIT).until(() -> threads.active() == 0);
    }

    @Test
    void runsEachDeliveryOnTheKindOfThreadItIsGiven() {
        TaskThreads threads = threads(2);
        gate.countDown();

        threads.execute(ThreadKind.VIRTUAL, held("virtual"));
        threads.execute(ThreadKind.PLATFORM, held("platform"));

        await().atMost(WAIT).until(() -> ended.size() == 2);
        assertTrue(threadOf.get("virtual").isVirtual());
        assertTrue(
                threadOf.get("virtual").getName().startsWith("conveyor-vtask-"),
                threadOf.get("virtual").getName());
        assertFalse(threadOf.get("platform").isVirtual());
        assertTrue(
                threadOf.get("platform").getName().startsWith("conveyor-task-"),
                threadOf.get("platform").getName());
    }

    @Test
    void startsWaitingDeliveriesInArrivalOrder() {
        TaskThreads threads = threads(1);
        List<String> names = List.of("first", "second", "third", "fourth", "fifth");
        for (int i = 0; i < names.size(); i++) {
            threads.execute(i % 2 == 0 ? ThreadKind.PLATFORM : ThreadKind.VIRTUAL, held(names.get(i)));
        }
        await().atMost(WAIT).until(() -> started.size() == 1);

        gate.countDown();

        await().atMost(WAIT).until(() -> ended.size() == names.size());
        assertEquals(names, started);
    }

    @Test
    void freesThePermitOfADeliveryThatThrowsOrIsInterrupted() {
        TaskThreads threads = threads(1);
        threads.execute(ThreadKind.VIRTUAL, () -> {
            started.add("throws");
            throw new IllegalStateException("a handler's bug");
        });
        threads.execute(ThreadKind.VIRTUAL, held("interrupted"));
        threads.execute(ThreadKind.PLATFORM, held("last"));

        await().atMost(WAIT).until(() -> threadOf.containsKey("interrupted"));
        threadOf.get("interrupted").interrupt();
        await().atMost(WAIT).until(() -> started.contains("last"));
        gate.countDown();

        await().atMost(WAIT).until(() -> ended.contains("last"));
        assertEquals(List.of("throws", "interrupted", "last"), started);
        assertEquals(Set.of("interrupted"), interrupted);
        await().atMost(WAIT).until(() -> threads.active() == 0);
    }

    @Test
    void aStopLeavesWaitingDeliveriesUnstartedAndTheDrainWaitsForTheRunningOnes() throws InterruptedException {
        TaskThreads threads = threads(2);
        for (int i = 0; i < 5; i++) {
            threads.execute(ThreadKind.VIRTUAL, held("d" + i));
        }
        await().atMost(WAIT).until(() -> running.get() == 2);

        assertEquals(3, threads.stop(), "deliveries dropped without a permit");
        assertFalse(threads.awaitIdle(Duration.ofMillis(50)), "idle while two still run");
        threads.execute(ThreadKind.VIRTUAL, held("after the stop"));
        assertEquals(2, threads.active(), "a delivery arriving after the stop took a permit");

        gate.countDown();
        assertTrue(threads.awaitIdle(WAIT));
        assertEquals(0, threads.active());
        assertEquals(List.of("d0", "d1"), started.stream().sorted().toList());
    }

    @Test
    void shutdownNowInterruptsWhatStillRunsOnEitherKindOfThread() {
        TaskThreads threads = threads(2);
        threads.execute(ThreadKind.VIRTUAL, held("virtual"));
        threads.execute(ThreadKind.PLATFORM, held("platform"));
        await().atMost(WAIT).until(() -> running.get() == 2);

        threads.shutdownNow();

        await().atMost(WAIT).until(() -> interrupted.size() == 2);
        assertEquals(Set.of("virtual", "platform"), interrupted);
    }
}
