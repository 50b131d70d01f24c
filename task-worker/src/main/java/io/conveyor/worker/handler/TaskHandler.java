package io.conveyor.worker.handler;

/**
 * Runs one task type. Implement it as an {@code @ApplicationScoped} bean; the worker finds it by its payload
 * record, which names the type in the catalogue. Throw {@link NonRetryableException} for a failure that another
 * attempt cannot fix; anything else thrown is retried until the task's max attempts. The thread is interrupted
 * when the type's timeout passes. A handler that computes rather than waits says so with {@link #workload()}.
 *
 * @param <P> the payload record of the type
 */
public interface TaskHandler<P extends Record> {

    Class<P> payloadType();

    /**
     * Does the work; the returned value is the task's result, the record its type's {@code TaskDefinition#result()}
     * names: declare that as the return type (HandlerResultsTest checks the shipped handlers).
     */
    Object handle(P payload, TaskContext context) throws Exception;

    /**
     * What the handler mostly does: {@link Workload#BLOCKING} handlers run on virtual threads, {@link
     * Workload#CPU_BOUND} ones on platform threads (unless the worker's configuration says otherwise).
     */
    default Workload workload() {
        return Workload.BLOCKING;
    }
}
