package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code wait} preference of RFC 7240 on a submit ({@code Prefer: wait=10}): how long the client is willing to wait
 * for the task's outcome in the submit's own answer. A preference is a hint, so one that cannot be read is ignored
 * (RFC 7240, section 2), never refused: the task is still accepted and answered 202.
 */
final class PreferWait {

    static final String PREFER = "Prefer";
    static final String PREFERENCE_APPLIED = "Preference-Applied";
    /** The longest wait a submit honours, whatever the client asks for. */
    static final Duration MAX = Duration.ofSeconds(60);

    private PreferWait() {}

    /**
     * The wait the {@code Prefer} header lines ask for, capped at {@code max} (and at {@link #MAX}); null when they
     * ask for none: absent, zero, negative or not a number of seconds. The first {@code wait} preference counts.
     */
    static Duration parse(List<String> headers, Duration max) {
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            if (header == null) {
                continue;
            }
            for (String preference : header.split(",")) {
                // A preference may carry parameters after ';', which the wait preference does not define.
                String[] nameValue = preference.split(";", 2)[0].split("=", 2);
                if (!nameValue[0].trim().toLowerCase(Locale.ROOT).equals("wait")) {
                    continue;
                }
                return nameValue.length < 2 ? null : seconds(unquote(nameValue[1].trim()), max);
            }
        }
        return null;
    }

    private static Duration seconds(String value, Duration max) {
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long seconds = Long.parseLong(value);
        if (seconds == 0) {
            return null;
        }
        Duration cap = max.compareTo(MAX) < 0 ? max : MAX;
        Duration asked = Duration.ofSeconds(seconds);
        return asked.compareTo(cap) > 0 ? cap : asked;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1).trim()
                : value;
    }

    /** The {@code Preference-Applied} value for a wait that was honoured. */
    static String applied(Duration wait) {
        return "wait=" + wait.toSeconds();
    }
}
