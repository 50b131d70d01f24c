package io.conveyor.client;

import java.time.Duration;

/** 401 or 403: no key, an unknown key, or a key whose roles do not allow the call. */
public class UnauthorizedException extends ConveyorException {

    public UnauthorizedException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }
}
