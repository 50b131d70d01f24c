package io.conveyor.client;

import java.time.Duration;

/**
 * 409: the task cannot be cancelled (it runs or ran), or a request with the same idempotency key was still being
 * accepted when the retries ran out.
 */
public class ConflictException extends ConveyorException {

    public ConflictException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }
}
