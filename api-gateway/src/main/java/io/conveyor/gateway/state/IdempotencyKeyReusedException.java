package io.conveyor.gateway.state;

/** An idempotency key came back within its window with a different request than the one that claimed it. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("The idempotency key was used within its window for a different request", null, false, false);
    }
}
