package io.conveyor.gateway.ops;

import java.util.Collection;

/** An operation named a task type the catalogue does not know; answered 404 with the known types. */
public class UnknownTaskTypeException extends RuntimeException {

    public UnknownTaskTypeException(String type, Collection<String> known) {
        super("Unknown task type '" + type + "'; known types: " + known, null, false, false);
    }
}
