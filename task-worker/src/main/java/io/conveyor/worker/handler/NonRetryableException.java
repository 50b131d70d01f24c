package io.conveyor.worker.handler;

/** The one way to say "permanent": the task goes straight to the dead letters, whatever attempts are left. */
public class NonRetryableException extends RuntimeException {

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
