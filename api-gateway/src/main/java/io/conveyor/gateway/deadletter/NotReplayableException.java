package io.conveyor.gateway.deadletter;

/** A dead letter that no worker could run if it were replayed: of an unknown type, or not a task envelope. */
public class NotReplayableException extends RuntimeException {

    private final String id;
    private final String why;

    public NotReplayableException(String id, String why) {
        super("Dead letter " + id + " cannot run again: " + why);
        this.id = id;
        this.why = why;
    }

    public String id() {
        return id;
    }

    /** Why it cannot run, as a clause: "its type 'teleport' is not a task type of this deployment". */
    public String why() {
        return why;
    }
}
