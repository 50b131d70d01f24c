package io.conveyor.client;

import java.time.Duration;

/** 404: no such task, its retention has passed, or it belongs to another client. */
public class TaskNotFoundException extends ConveyorException {

    public TaskNotFoundException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem, retryAfter, cause);
    }
}
