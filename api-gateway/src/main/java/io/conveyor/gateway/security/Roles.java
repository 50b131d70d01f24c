package io.conveyor.gateway.security;

import java.util.Set;

/**
 * The three roles a client can hold. An operator may do everything, so its identity carries all three; a reader
 * reads every task and the dead letters; a producer submits and reads or cancels its own tasks.
 */
public final class Roles {

    public static final String PRODUCER = "producer";
    public static final String READER = "reader";
    public static final String OPERATOR = "operator";

    /** Every role, in the order the keys file documents them. */
    public static final Set<String> ALL = Set.of(PRODUCER, READER, OPERATOR);

    private Roles() {}

    /** The roles an identity carries for the roles a client was given: an operator is also a reader and producer. */
    public static Set<String> effective(Set<String> granted) {
        return granted.contains(OPERATOR) ? ALL : Set.copyOf(granted);
    }
}
