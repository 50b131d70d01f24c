package io.conveyor.worker.deadletter;

/** A message no handler can ever run: unparseable, of an unknown type, or with an invalid payload. */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String message) {
        super(message);
    }

    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
