package io.conveyor.gateway.state;

/** The request holding an idempotency key is still being accepted after the repeat stopped waiting for it. */
public class IdempotencyKeyInProgressException extends RuntimeException {

    public IdempotencyKeyInProgressException() {
        super("A request with this idempotency key is still being accepted", null, false, false);
    }
}
