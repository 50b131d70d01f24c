package io.conveyor.worker.retry;

import java.time.Duration;

/** An attempt ran past its type's timeout and was interrupted; it counts as a failed, retryable attempt. */
public class TaskTimeoutException extends RuntimeException {

    public TaskTimeoutException(Duration timeout, Throwable cause) {
        super("The handler ran longer than its timeout of " + timeout + " and was interrupted", cause);
    }
}
