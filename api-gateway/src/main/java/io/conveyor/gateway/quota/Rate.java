package io.conveyor.gateway.quota;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's request rate: {@code count} requests per second or per minute, written {@code 200/s}, {@code 200} (per
 * second) or {@code 12/m}. Its token bucket holds {@linkplain #burst() two periods' worth}, so a client may send
 * twice its rate at once after a pause, and its rate for as long as it likes.
 */
public record Rate(long count, Duration period) {

    /** The largest count: bursts and refills stay exact in Redis's Lua numbers. */
    public static final long MAX_COUNT = 1_000_000_000L;

    /** What a rate must look like; completes "{@code <setting>} ..." in a refusal. */
    public static final String RULE = "must be a positive whole number of requests per second or per minute, at most "
            + MAX_COUNT + ": 200/s, 200 (per second) or 12/m";

    private static final Duration PER_SECOND = Duration.ofSeconds(1);
    private static final Duration PER_MINUTE = Duration.ofMinutes(1);
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,10})(?:/([sm]))?");

    public Rate {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("A rate " + RULE + ", was " + count);
        }
        if (!PER_SECOND.equals(period) && !PER_MINUTE.equals(period)) {
            throw new IllegalArgumentException("A rate is per second or per minute, was per " + period);
        }
    }

    /** Reads {@code 200/s}, {@code 200} or {@code 12/m}; else throws {@link IllegalArgumentException} saying why. */
    public static Rate parse(String text) {
        Matcher matcher = SYNTAX.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        long count = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("A rate " + RULE + ", was \"" + text + "\"");
        }
        return new Rate(count, "m".equals(matcher.group(2)) ? PER_MINUTE : PER_SECOND);
    }

    /** Tokens the bucket holds when full: twice the count, so at least 2. */
    public long burst() {
        return 2 * count;
    }

    /** Seconds an empty bucket takes to fill: {@link #burst()} / rate, two periods, a whole number. */
    public long fillSeconds() {
        return 2 * period.toSeconds();
    }

    @Override
    public String toString() {
        return count + (PER_SECOND.equals(period) ? "/s" : "/m");
    }
}
