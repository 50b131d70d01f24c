package io.conveyor.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a task is in its life. SUCCEEDED, DEAD and CANCELLED are terminal. The allowed transitions are enforced
 * by the state store, so a late or duplicate write (a RUNNING after SUCCEEDED) is refused, not applied.
 */
public enum TaskStatus {
    QUEUED,
    RUNNING,
    RETRY_SCHEDULED,
    SUCCEEDED,
    DEAD,
    CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }

    /** The states a task may be in for a move to this one. */
    public Set<TaskStatus> allowedFrom() {
        return switch (this) {
            // A replayed dead letter is queued again.
            case QUEUED -> EnumSet.of(DEAD);
            // RUNNING again: a redelivery after a worker crashed mid-attempt.
            case RUNNING -> EnumSet.of(QUEUED, RETRY_SCHEDULED, RUNNING);
            // From QUEUED or RETRY_SCHEDULED too: an attempt the worker ran while its RUNNING write failed (Redis
            // down, or a failover that promoted a replica without it) must still be recorded as it ended.
            case RETRY_SCHEDULED, SUCCEEDED -> EnumSet.of(QUEUED, RETRY_SCHEDULED, RUNNING);
            // Poison is dead-lettered before it ever ran.
            case DEAD -> EnumSet.of(QUEUED, RETRY_SCHEDULED, RUNNING);
            case CANCELLED -> EnumSet.of(QUEUED, RETRY_SCHEDULED);
        };
    }
}
