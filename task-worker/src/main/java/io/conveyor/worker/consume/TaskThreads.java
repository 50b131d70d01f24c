package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.conveyor.worker.config.ThreadKind;

/**
 * Runs deliveries, at most {@code concurrency} at once, each on the kind of thread its type's route names: a new
 * virtual thread per delivery, or one of at most {@code concurrency} platform threads (started when first needed,
 * ended after a minute idle). The limit is a semaphore, shared by both kinds: a permit is taken before a delivery
 * starts and given back when it ends, however it ends (returned, thrown, timed out, interrupted). Deliveries over
 * the limit wait in a queue, not on a thread, in arrival order; so a drain can tell the ones that never started and
 * leave them to the broker.
 */
final class TaskThreads {

    private static final Logger LOG = Logger.getLogger(TaskThreads.class);

    private final int concurrency;
    private final Semaphore permits;
    /** Deliveries that have no permit yet. */
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** One thread per delivery; kept by the executor only so that a forced shutdown can interrupt them. */
    private final ExecutorService virtual;

    private final ThreadPoolExecutor platform;
    private volatile boolean stopped;

    TaskThreads(int concurrency) {
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
        this.virtual = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("conveyor-vtask-", 1).factory());
        AtomicInteger threads = new AtomicInteger();
        // The permits bound the tasks it holds: its queue only bridges the moment a finishing thread starts the
        // next delivery before it is idle itself.
        this.platform = new ThreadPoolExecutor(
                concurrency,
                concurrency,
                1,
                TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(),
                r -> new Thread(r, "conveyor-task-" + threads.incrementAndGet()));
        this.platform.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code delivery} on a thread of that kind once a permit is free; never blocks the caller. */
    void execute(ThreadKind kind, Runnable delivery) {
        waiting.add(new Waiting(kind, delivery));
        startWhatFits();
    }

    /**
     * Starts waiting deliveries while permits are free. Called after each arrival and after each end, so none waits
     * while a permit is free: an arrival that finds none is started by the end that frees one.
     */
    private void startWhatFits() {
        while (!stopped && !waiting.isEmpty() && permits.tryAcquire()) {
            Waiting next = waiting.poll();
            if (next == null) {
                permits.release();
            } else {
                start(next);
            }
        }
    }

    private void start(Waiting next) {
        Runnable run = () -> {
            try {
                next.delivery().run();
            } catch (RuntimeException e) {
                // The pipeline settles whatever a handler throws: this is a bug of the pipeline itself.
                LOG.errorf(e, "A delivery failed outside its pipeline; its message goes back when the channel closes");
            } finally {
                permits.release();
                startWhatFits();
            }
        };
        try {
            (next.kind() == ThreadKind.VIRTUAL ? virtual : platform).execute(run);
        } catch (RejectedExecutionException e) {
            // Shut down: the delivery stays unsettled and goes back to its queue when the channel closes.
            permits.release();
            LOG.debugf("A delivery was not started: %s", e);
        }
    }

    /** Deliveries started and not ended: what a drain waits for. */
    int active() {
        return concurrency - permits.availablePermits();
    }

    /**
     * Starts nothing more; returns how many deliveries were still waiting for a permit. They are dropped unsettled,
     * so they return to their queues when the channels close.
     */
    int stop() {
        stopped = true;
        int dropped = 0;
        while (waiting.poll() != null) {
            dropped++;
        }
        return dropped;
    }

    /** Waits until every started delivery has ended; false if some still run after {@code timeout}. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (!permits.tryAcquire(concurrency, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        // Nothing starts once stopped; the permits go back only so that active() reads 0.
        permits.release(concurrency);
        return true;
    }

    /** Interrupts whatever still runs and ends the threads: the last step of a shutdown. */
    void shutdownNow() {
        stopped = true;
        virtual.shutdownNow();
        platform.shutdownNow();
    }

    /** A delivery waiting for a permit, and the kind of thread it will run on. */
    private record Waiting(ThreadKind kind, Runnable delivery) {}
}
