package io.conveyor.worker.limit;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many attempts of a task type may start, across all workers: {@code count} per second, minute or hour,
 * written {@code 5/s}, {@code 5} (per second), {@code 300/m} or {@code 10/h}. Its token bucket holds
 * {@linkplain #burst() one second's worth} (at least one token): after a pause that many may start at once, and in
 * any window of {@code t} seconds at most {@code burst + rate · t} start.
 */
public record TaskRate(long count, Duration period) {

    /** The largest count: refills stay exact in Redis's Lua numbers. */
    public static final long MAX_COUNT = 1_000_000_000L;

    /** What a rate must look like; completes "{@code <setting>} ..." in a refusal. */
    public static final String RULE = "must be a positive whole number of tasks per second, minute or hour, at most "
            + MAX_COUNT + ": 5/s, 5 (per second), 300/m or 10/h";

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,10})(?:/([smh]))?");

    public TaskRate {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("A rate " + RULE + ", was " + count);
        }
        if (!period.equals(Duration.ofSeconds(1))
                && !period.equals(Duration.ofMinutes(1))
                && !period.equals(Duration.ofHours(1))) {
            throw new IllegalArgumentException("A rate is per second, minute or hour, was per " + period);
        }
    }

    /** Reads {@code 5/s}, {@code 5}, {@code 300/m} or {@code 10/h}; else throws {@link IllegalArgumentException}. */
    public static TaskRate parse(String text) {
        Matcher matcher = SYNTAX.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        long count = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("a rate " + RULE + ", was \"" + text + "\"");
        }
        Duration period = switch (matcher.group(2) == null ? "s" : matcher.group(2)) {
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofSeconds(1);
        };
        return new TaskRate(count, period);
    }

    /**
     * Tokens the bucket holds when full: what the rate grants in one second, at least one. The shortest retry tier is
     * one second, so the tasks sent back to wait return about once a second: a smaller bucket would leave tokens
     * unused, a larger one allow bigger bursts than the rate suggests.
     */
    public long burst() {
        return Math.max(1, count * 1000 / period.toMillis());
    }

    @Override
    public String toString() {
        long seconds = period.toSeconds();
        return count + (seconds == 1 ? "/s" : seconds == 60 ? "/m" : "/h");
    }
}
