package io.conveyor.gateway.rest;

/**
 * A payload or result record field that has no JSON type (an {@code Object}, a {@code JsonNode}, a raw or wildcard
 * collection, a {@code @Pattern} with flags). Thrown while the catalogue is documented, so a new task type with such a
 * field stops the build (its OpenAPI document is made then) and the gateway, instead of being published untyped.
 */
public class UnsupportedPayloadFieldException extends IllegalStateException {

    public UnsupportedPayloadFieldException(Class<?> record, String field, String what) {
        super("Record " + record.getName() + ", field '" + field + "': " + what
                + " has no JSON Schema; give the field a concrete type (a string, number, boolean, duration, enum,"
                + " record, or a list or map of those)");
    }
}
