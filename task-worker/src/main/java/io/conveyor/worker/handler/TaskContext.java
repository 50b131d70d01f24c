package io.conveyor.worker.handler;

/**
 * What a handler may know about the delivery it runs: which task, which attempt; and where it reports its progress
 * ({@link #progress}).
 */
public record TaskContext(
        String taskId, String type, int attempt, int maxAttempts, String traceparent, ProgressSink progressSink) {

    /** Where {@link #progress} reports go: the worker's throttled, best-effort writer to the task's record. */
    @FunctionalInterface
    public interface ProgressSink {

        /** Drops every report: for handlers run outside a worker (tests). */
        ProgressSink NONE = (done, total, message) -> {};

        void report(long done, long total, String message);
    }

    public TaskContext {
        progressSink = progressSink == null ? ProgressSink.NONE : progressSink;
    }

    /** A context whose progress reports go nowhere: for handlers run outside a worker (tests). */
    public TaskContext(String taskId, String type, int attempt, int maxAttempts, String traceparent) {
        this(taskId, type, attempt, maxAttempts, traceparent, ProgressSink.NONE);
    }

    /**
     * Reports how far the task has come: {@code done} of {@code total} units ({@code total} below 0 when unknown),
     * with a short message (null for none; cut to 200 characters). {@code GET /api/v1/tasks/{id}} shows it as {@code
     * progress}. Cheap to call often, from any thread, and never blocks nor throws: at most one report per 250 ms of
     * an attempt is written, the others are dropped (the last before the handler returns too, maybe), and a report
     * that cannot be written is lost, never failing the task.
     */
    public void progress(long done, long total, String message) {
        progressSink.report(done, total, message);
    }
}
