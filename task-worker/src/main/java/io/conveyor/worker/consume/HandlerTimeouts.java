package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.metrics.WorkerMetrics;
import io.conveyor.worker.retry.TaskTimeoutException;

/**
 * Runs handlers under their timeout and counts the handlers running, for the running gauge. One watchdog thread
 * interrupts a handler whose time is up; its failure then reads as a {@link TaskTimeoutException}, except on a
 * forced shutdown, when interrupted handlers are abandoned and their messages left for redelivery.
 */
@ApplicationScoped
public class HandlerTimeouts {

    private static final Logger LOG = Logger.getLogger(HandlerTimeouts.class);
    /** How often the watchdog looks for handlers past their timeout: the precision of every timeout. */
    static final Duration WATCHDOG_PERIOD = Duration.ofMillis(50);

    private final AtomicInteger running = new AtomicInteger();
    /** The deadlines of the handlers running now. */
    private final Set<Deadline> deadlines = ConcurrentHashMap.newKeySet();

    private final ScheduledThreadPoolExecutor watchdog = watchdog();
    /** Set on a forced shutdown: interrupted handlers then leave their messages for redelivery, untouched. */
    private volatile boolean abandoning;

    public HandlerTimeouts(WorkerMetrics metrics) {
        metrics.gaugeRunning(running);
    }

    /** Handlers running right now (not the deliveries waiting for a thread or for their ack). */
    public int running() {
        return running.get();
    }

    /** From now on, a handler's failure is not settled: its message goes back to the queue untouched. */
    void abandon() {
        abandoning = true;
    }

    boolean abandoning() {
        return abandoning;
    }

    /** Runs the handler on this thread; interrupted after {@code timeout}, which then fails the attempt. */
    Object run(TaskHandler<Record> handler, Record payload, TaskContext context, Duration timeout) throws Exception {
        Deadline deadline = new Deadline(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        deadlines.add(deadline);
        running.incrementAndGet();
        try {
            return handler.handle(payload, context);
        } catch (Exception e) {
            if (deadline.expired() && !abandoning) {
                throw new TaskTimeoutException(timeout, e);
            }
            throw e;
        } finally {
            running.decrementAndGet();
            deadlines.remove(deadline);
            deadline.finish();
            // An interrupt that came after the handler's last check must not hit this thread's next task.
            Thread.interrupted();
        }
    }

    /**
     * Interrupts the handler's thread when its time is up, but never after the handler finished: expiring and
     * finishing exclude each other, so a late interrupt cannot hit the thread's next task.
     */
    private static final class Deadline {
        private final Thread runner;
        private final long dueNanos;
        private boolean expired;
        private boolean finished;

        Deadline(Thread runner, long dueNanos) {
            this.runner = runner;
            this.dueNanos = dueNanos;
        }

        boolean due(long nowNanos) {
            return nowNanos - dueNanos >= 0;
        }

        /** Interrupts the handler once; later checks of the same deadline do nothing. */
        synchronized void expire() {
            if (!finished && !expired) {
                expired = true;
                runner.interrupt();
            }
        }

        synchronized boolean expired() {
            return expired;
        }

        synchronized void finish() {
            finished = true;
        }
    }

    /**
     * One thread checks every running handler's deadline a few times a second. A timer entry per task cost a
     * wake-up of the timer thread per task (scheduling it, then cancelling it when the handler returned in time);
     * the watchdog's cost does not grow with the task rate.
     */
    private ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "conveyor-task-timeouts");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleAtFixedRate(
                () -> {
                    // An exception would end the periodic run, and with it every timeout: none may escape.
                    try {
                        long now = System.nanoTime();
                        for (Deadline deadline : deadlines) {
                            if (deadline.due(now)) {
                                deadline.expire();
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.errorf(
                                e,
                                "Checking handler timeouts failed; checking again in %d ms",
                                WATCHDOG_PERIOD.toMillis());
                    }
                },
                WATCHDOG_PERIOD.toMillis(),
                WATCHDOG_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        return watchdog;
    }

    @PreDestroy
    void close() {
        watchdog.shutdownNow();
    }
}
