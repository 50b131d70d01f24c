package io.conveyor.client;

import java.time.Duration;
import java.util.List;

/**
 * 400 or 422: the request was invalid (a payload field, an option, an unknown type, a query parameter) or an
 * idempotency key was reused for a different request. {@link #errors()} lists each invalid field.
 */
public class InvalidTaskException extends ConveyorException {

    public InvalidTaskException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }

    /** Each invalid field, as a JSON path and a message; empty when the problem is not about fields. */
    public List<Problem.FieldError> errors() {
        return problem().errors();
    }
}
