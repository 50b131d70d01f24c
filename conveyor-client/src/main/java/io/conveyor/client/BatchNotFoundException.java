package io.conveyor.client;

import java.time.Duration;

/** No such batch: unknown, expired, or another client's. */
public class BatchNotFoundException extends ConveyorException {

    public BatchNotFoundException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }
}
