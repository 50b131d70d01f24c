package io.conveyor.client;

import java.time.Duration;

/**
 * 429 once the retries ran out: the client is over its request rate; nothing was done. {@link #retryAfter()} says when
 * to try again.
 */
public class RateLimitedException extends ConveyorException {

    public RateLimitedException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }
}
