package io.conveyor.gateway.rest;

import java.lang.reflect.Type;

/**
 * A payload record field whose Java type has no JSON Schema here. Thrown while the catalogue is documented, so a
 * new task type with such a field stops the gateway (and the build's contract test) instead of being published
 * with an untyped property.
 */
public class UnsupportedPayloadFieldException extends IllegalStateException {

    /** The Java types {@link JsonSchemas} maps, as a developer would write them. */
    static final String SUPPORTED =
            "String, boolean/Boolean, int/Integer, long/Long, Duration, or a List/Set/Collection of one of those";

    public UnsupportedPayloadFieldException(Class<? extends Record> record, String field, Type javaType) {
        super("Payload record " + record.getName() + ", field '" + field + "': Java type " + javaType.getTypeName()
                + " has no JSON Schema type; use " + SUPPORTED + ", or teach JsonSchemas the new type");
    }
}
