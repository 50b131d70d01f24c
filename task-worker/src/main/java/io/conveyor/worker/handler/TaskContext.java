package io.conveyor.worker.handler;

/** What a handler may know about the delivery it runs: which task, which attempt. */
public record TaskContext(String taskId, String type, int attempt, int maxAttempts, String traceparent) {

    /**
     * Reports how far the task has come: {@code done} of {@code total} units ({@code total} below 0 when unknown),
     * with a short message. Cheap to call often: writes are throttled.
     */
    public void progress(long done, long total, String message) {
        // Not recorded yet.
    }
}
