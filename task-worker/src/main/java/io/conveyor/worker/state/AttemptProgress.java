package io.conveyor.worker.state;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * The progress reports of one attempt ({@code TaskContext.progress}), written to the task's record best-effort so
 * that reporting never slows the handler nor the state store: at most one write per {@link #INTERVAL} and one in
 * flight, the reports in between dropped (also the last one before the handler returns, which the task's end makes
 * moot); sent without waiting for the answer; a write that fails or times out is logged at debug and forgotten.
 * Once {@link #close closed} (the handler returned), reports are dropped.
 */
public final class AttemptProgress {

    private static final Logger LOG = Logger.getLogger(AttemptProgress.class);
    /** The least time between two writes of an attempt's progress. */
    public static final Duration INTERVAL = Duration.ofMillis(250);

    private static final long INTERVAL_NANOS = INTERVAL.toNanos();

    private final TaskStateWriter writer;
    private final String taskId;
    private final int attempt;
    /** When the last write left (System.nanoTime); set back an interval at first so the first report is written. */
    private final AtomicLong lastWrite;

    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closed;

    AttemptProgress(TaskStateWriter writer, String taskId, int attempt) {
        this.writer = writer;
        this.taskId = taskId;
        this.attempt = attempt;
        this.lastWrite = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    }

    /** Writes the report unless one was written less than {@link #INTERVAL} ago or is still on its way; never throws. */
    public void report(long done, long total, String message) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWrite.get();
        // One caller wins the slot; the reports of other threads at the same moment are dropped like early ones.
        if (now - last < INTERVAL_NANOS || !lastWrite.compareAndSet(last, now)) {
            return;
        }
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        sent.incrementAndGet();
        try {
            writer.recordProgress(taskId, attempt, done, total, message).whenComplete((written, failure) -> {
                inFlight.set(false);
                if (failure != null) {
                    LOG.debugf("Progress of task %s not recorded: %s", taskId, failure.toString());
                } else if (!written) {
                    LOG.debugf("Progress of task %s not recorded: attempt %d is not running", taskId, attempt);
                }
            });
        } catch (RuntimeException e) {
            inFlight.set(false);
            LOG.debugf("Progress of task %s not recorded: %s", taskId, e.toString());
        }
    }

    /** Drops every later report: the attempt is over. */
    public void close() {
        closed = true;
    }

    /** The writes sent so far. */
    long sent() {
        return sent.get();
    }
}
