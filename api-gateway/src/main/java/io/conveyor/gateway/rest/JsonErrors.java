package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Jackson's parse and binding failures in words a client can act on: which field, and what it must be. */
final class JsonErrors {

    private JsonErrors() {}

    static String fieldOf(String prefix, JsonProcessingException e) {
        StringBuilder out = new StringBuilder(prefix);
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    out.append('.').append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    out.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        return out.toString();
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            }
            known.sort(null);
            return "unknown field; known fields: " + known;
        }
        if (e instanceof InvalidFormatException f) {
            return "cannot be read as " + simpleType(f.getTargetType()) + " from " + f.getValue();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "must be " + simpleType(m.getTargetType());
        }
        return "is invalid: " + e.getOriginalMessage();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT30S";
        }
        return "a " + type.getSimpleName();
    }

    /** Jackson's message without its source excerpt and internal hints. */
    static String cleanMessage(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int cut = message.indexOf(" (start marker");
        message = cut >= 0 ? message.substring(0, cut) : message;
        cut = message.indexOf("\n");
        return cut >= 0 ? message.substring(0, cut) : message;
    }

    static String locationOf(JacksonException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
