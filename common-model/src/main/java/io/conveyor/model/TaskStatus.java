package io.conveyor.model;

/** Where a task is in its life. SUCCEEDED, DEAD and CANCELLED are terminal. */
public enum TaskStatus {
    QUEUED, RUNNING, RETRY_SCHEDULED, SUCCEEDED, DEAD, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
