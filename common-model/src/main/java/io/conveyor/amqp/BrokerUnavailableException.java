package io.conveyor.amqp;

/** The broker could not be reached or the channel closed before it confirmed: the message may not be stored. */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BrokerUnavailableException(String message) {
        super(message);
    }
}
