package io.conveyor.amqp;

/** The broker answered but did not take the message: it nacked it (e.g. a full queue) or could route it nowhere. */
public class PublishRejectedException extends RuntimeException {

    private final boolean unroutable;

    public PublishRejectedException(String message, boolean unroutable) {
        super(message);
        this.unroutable = unroutable;
    }

    public boolean unroutable() {
        return unroutable;
    }
}
