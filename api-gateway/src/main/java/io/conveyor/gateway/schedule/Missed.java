package io.conveyor.gateway.schedule;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a schedule does with ticks missed while no gateway ran (or all were stalled longer than the grace): {@code skip}
 * them all and go on with the next future tick, or fire {@code once} for all of them, then go on likewise.
 */
public enum Missed {
    SKIP,
    ONCE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code skip} or {@code once}; null for anything else. */
    @JsonCreator
    public static Missed of(String text) {
        for (Missed missed : values()) {
            if (missed.json().equals(text)) {
                return missed;
            }
        }
        return null;
    }
}
