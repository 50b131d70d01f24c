package io.conveyor.worker.handler;

/**
 * How a handler spends its time, which decides the kind of thread it runs on (README, "Handler threads"): a
 * {@link #BLOCKING} handler waits on the network or a store and runs on a virtual thread, which costs almost nothing
 * while it waits; a {@link #CPU_BOUND} one computes and keeps a platform thread, on which it measured faster.
 */
public enum Workload {
    /** Mostly waiting: SMTP, HTTP, Redis. The default. */
    BLOCKING,
    /** Mostly computing: decoding and scaling images. */
    CPU_BOUND
}
