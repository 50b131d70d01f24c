package io.conveyor.client;

import java.time.Duration;

/**
 * 503 once the retries ran out (the broker or the state store is unreachable, or the task type's queue is full:
 * nothing was accepted), or the gateway could not be reached at all ({@link #status()} 0).
 */
public class UnavailableException extends ConveyorException {

    public UnavailableException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }
}
