package io.conveyor.model.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The type a query declares for a parameter, which decides what JSON value a request may give for it and the Java
 * value bound to the statement (as a JDBC parameter: a value never becomes SQL text).
 */
public enum ParameterType {
    /** A JSON string. */
    TEXT("a string"),
    /** A JSON integer (64-bit). */
    INTEGER("an integer"),
    /** A JSON number, or a string holding one (exact: bound as a BigDecimal). */
    NUMERIC("a number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** An ISO-8601 date, {@code 2026-12-03}. */
    DATE("a date (YYYY-MM-DD)"),
    /** An ISO-8601 date and time with an offset, {@code 2026-12-03T10:15:30Z}. */
    TIMESTAMP("a timestamp with an offset (2026-12-03T10:15:30Z)");

    private final String expected;

    ParameterType(String expected) {
        this.expected = expected;
    }

    /** The type's name in query definitions and the API: {@code text}, {@code integer}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code name} ({@code text}, {@code integer}, ...), or null. */
    public static ParameterType named(String name) {
        for (ParameterType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** What a request must give, for an error message: "must be " + this. */
    public String expected() {
        return expected;
    }

    /**
     * The value to bind for a JSON value ({@code String}, {@code Number} or {@code Boolean}, as Jackson reads it).
     *
     * @throws IllegalArgumentException when the value is not of this type; its message completes "must be ..."
     */
    public Object bind(Object value) {
        Object bound = switch (this) {
            case TEXT -> value instanceof String text ? text : null;
            case INTEGER -> integer(value);
            case NUMERIC -> numeric(value);
            case BOOLEAN -> value instanceof Boolean flag ? flag : null;
            case DATE -> parsed(value, LocalDate::parse);
            case TIMESTAMP -> parsed(value, OffsetDateTime::parse);
        };
        if (bound == null) {
            throw new IllegalArgumentException("must be " + expected);
        }
        return bound;
    }

    private static Long integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    private static BigDecimal numeric(Object value) {
        try {
            if (value instanceof BigDecimal decimal) {
                return decimal;
            }
            if (value instanceof Number number) {
                return new BigDecimal(number.toString());
            }
            if (value instanceof String text) {
                return new BigDecimal(text.strip());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static <T> T parsed(Object value, Function<String, T> parser) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return parser.apply(text.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
