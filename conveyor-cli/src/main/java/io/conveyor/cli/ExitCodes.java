package io.conveyor.cli;

import io.conveyor.client.ConveyorException;
import io.conveyor.client.InvalidTaskException;
import io.conveyor.client.RateLimitedException;
import io.conveyor.client.TaskNotFoundException;
import io.conveyor.client.UnauthorizedException;
import io.conveyor.client.UnavailableException;
import io.conveyor.model.BatchView;
import io.conveyor.model.TaskStatus;

/** What {@code conveyor} exits with, for scripts: the README's table lists the same. */
public final class ExitCodes {

    /** The command did what it was asked; for {@code wait} and {@code submit --wait}: the task SUCCEEDED. */
    public static final int OK = 0;
    /** The awaited task ended DEAD or CANCELLED. */
    public static final int TASK_FAILED = 1;
    /** Bad arguments, a payload that is not JSON or an unreadable file, or the gateway's 400/422. */
    public static final int USAGE = 2;
    /** No answer (connection refused, timed out), or 503/429 once the client's retries ran out. */
    public static final int UNAVAILABLE = 3;
    /** 404: no such task or dead letter (or the URL is not a gateway's). */
    public static final int NOT_FOUND = 4;
    /** 401 or 403: no key, an unknown key, or a key whose roles do not allow the call. */
    public static final int UNAUTHORIZED = 5;
    /** Any other refusal or failure: 409 (cancel of a running task, a dead letter that cannot run), 413, 5xx. */
    public static final int ERROR = 6;
    /** The wait ran out before the task finished; it goes on, {@code conveyor wait ID} waits again. */
    public static final int NOT_FINISHED = 7;

    private ExitCodes() {}

    /** The exit code for a task's state at the end of a wait. */
    public static int of(TaskStatus status) {
        return switch (status) {
            case SUCCEEDED -> OK;
            case DEAD, CANCELLED -> TASK_FAILED;
            default -> NOT_FINISHED;
        };
    }

    /**
     * The exit code for a batch at the end of a wait: {@link #OK} once every task SUCCEEDED, {@link #TASK_FAILED}
     * when it is done and any task is not (DEAD, CANCELLED, or its record expired), {@link #NOT_FINISHED} while
     * it is not done.
     */
    public static int of(BatchView batch) {
        if (!batch.done()) {
            return NOT_FINISHED;
        }
        Integer succeeded = batch.counts().get(TaskStatus.SUCCEEDED.name());
        return succeeded != null && succeeded == batch.size() ? OK : TASK_FAILED;
    }

    /** The exit code for a failed call. */
    public static int of(ConveyorException e) {
        if (e instanceof InvalidTaskException) {
            return USAGE;
        }
        if (e instanceof UnavailableException || e instanceof RateLimitedException) {
            return UNAVAILABLE;
        }
        if (e instanceof UnauthorizedException) {
            return UNAUTHORIZED;
        }
        if (e instanceof TaskNotFoundException || e.status() == 404) {
            return NOT_FOUND;
        }
        return ERROR;
    }
}
