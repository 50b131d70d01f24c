package io.conveyor.gateway.state;

/** The state store (Redis) did not answer: state endpoints answer 503, tasks keep flowing. */
public class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(Throwable cause) {
        super("The state store is unavailable: " + cause.getMessage(), cause);
    }
}
