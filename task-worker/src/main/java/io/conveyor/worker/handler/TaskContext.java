package io.conveyor.worker.handler;

/** What a handler may know about the delivery it runs: which task, which attempt. */
public record TaskContext(String taskId, String type, int attempt, int maxAttempts, String traceparent) {}
