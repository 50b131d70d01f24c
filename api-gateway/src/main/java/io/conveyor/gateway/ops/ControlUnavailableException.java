package io.conveyor.gateway.ops;

/**
 * The paused set in Redis was changed but the control message could not be published: the workers still follow it
 * within a heartbeat, when they reconcile with Redis. Answered 503.
 */
public class ControlUnavailableException extends RuntimeException {

    public ControlUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
