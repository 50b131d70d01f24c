package io.conveyor.worker.config;

/** The kind of thread a task type's handlers run on; {@code conveyor.worker.threads.<type>} names one. */
public enum ThreadKind {
    /** A new virtual thread per delivery: cheap while it waits, however many wait. */
    VIRTUAL,
    /** One of the worker's platform threads (at most the concurrency of them). */
    PLATFORM
}
