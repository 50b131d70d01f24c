package io.conveyor.gateway.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a schedule fires: a five-field cron expression (minute, hour, day of month, month, day of week) read in a time
 * zone, or {@code @every <ISO-8601 duration>} (at least 1 s) for a fixed period. Pure and immutable.
 *
 * <p>Fields take {@code *}, numbers, ranges {@code a-b}, steps {@code * /n}, {@code a-b/n}, {@code a/n}, and lists of
 * those; months and days of the week also take names ({@code JAN}, {@code MON}); day of week 0 and 7 are Sunday. As in
 * Vixie cron, when both day fields are restricted (neither starts with {@code *}) a day matching either fires. The
 * shortcuts {@code @hourly}, {@code @daily} ({@code @midnight}), {@code @weekly}, {@code @monthly} and {@code @yearly}
 * ({@code @annually}) stand for their usual expressions.
 *
 * <p>Daylight saving: a wall-clock time that occurs twice when the clocks go back fires once, at its first
 * occurrence; one that does not exist when they go forward fires as much later as the clocks jumped (02:30 becomes
 * 03:30 in Europe/Paris), unless that instant fires anyway.
 */
public final class Cron {

    /** The shortest period of {@code @every}. */
    public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    /** The longest period of {@code @every}. */
    public static final Duration MAX_PERIOD = Duration.ofDays(366);

    /** How far ahead a fire time is looked for: 28 years hold every weekday of every date, 29 February included. */
    private static final int MAX_DAYS = 366 * 29;

    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Map<String, String> SHORTCUTS = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *",
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");

    private final String expression;
    private final Duration every;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDay;

    private Cron(
            String expression,
            Duration every,
            BitSet minutes,
            BitSet hours,
            BitSet days,
            BitSet months,
            BitSet weekdays,
            boolean anyDay) {
        this.expression = expression;
        this.every = every;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.anyDay = anyDay;
    }

    /** Reads an expression; fails with {@link IllegalArgumentException} whose message says what is wrong. */
    public static Cron parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "is required: five fields (minute hour day-of-month month day-of-week) or @every <duration>");
        }
        String trimmed = text.trim();
        if (trimmed.regionMatches(true, 0, "@every", 0, 6)) {
            return every(trimmed, trimmed.substring(6).trim());
        }
        String expanded = trimmed.startsWith("@") ? SHORTCUTS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw new IllegalArgumentException("unknown shortcut '" + trimmed + "'; known: @every <duration>, "
                    + String.join(", ", SHORTCUTS.keySet().stream().sorted().toList()));
        }
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("has " + fields.length
                    + " fields; a cron expression has five: minute hour day-of-month month day-of-week");
        }
        BitSet weekdays = field(fields[4], "day of week", 0, 7, DAYS);
        if (weekdays.get(7)) {
            weekdays.set(0);
            weekdays.clear(7);
        }
        return new Cron(
                trimmed,
                null,
                field(fields[0], "minute", 0, 59, null),
                field(fields[1], "hour", 0, 23, null),
                field(fields[2], "day of month", 1, 31, null),
                field(fields[3], "month", 1, 12, MONTHS),
                weekdays,
                fields[2].startsWith("*") || fields[4].startsWith("*"));
    }

    private static Cron every(String expression, String period) {
        Duration duration;
        try {
            duration = Duration.parse(period);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "@every takes an ISO-8601 duration such as PT2S, PT15M or P1D; '" + period + "' is not one");
        }
        if (duration.compareTo(MIN_PERIOD) < 0 || duration.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("@every must be at least PT1S and at most P366D, was " + period);
        }
        return new Cron(expression, duration, null, null, null, null, null, true);
    }

    private static BitSet field(String text, String name, int min, int max, List<String> names) {
        BitSet values = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), name, 1, max - min + 1, null);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-');
                if (dash > 0) {
                    from = number(range.substring(0, dash), name, min, max, names);
                    to = number(range.substring(dash + 1), name, min, max, names);
                    if (to < from) {
                        throw new IllegalArgumentException(name + " range '" + range + "' ends before it starts");
                    }
                } else {
                    from = number(range, name, min, max, names);
                    to = slash >= 0 ? max : from;
                }
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String text, String name, int min, int max, List<String> names) {
        if (names != null) {
            int index = names.indexOf(text.toUpperCase(Locale.ROOT));
            if (index >= 0) {
                return index + (names == MONTHS ? 1 : 0);
            }
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not a number"
                    + (names == null ? "" : " or a name such as " + names.get(0)));
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is out of range " + min + "-" + max);
        }
        return value;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** The period of an {@code @every} schedule, null for a cron expression. */
    public Duration period() {
        return every;
    }

    /**
     * The first fire time strictly after {@code after}, read in {@code zone}; null when the expression never fires
     * again (29 February on a weekday it cannot fall on within 28 years, 30 February).
     */
    public Instant next(Instant after, ZoneId zone) {
        if (every != null) {
            return after.plus(every);
        }
        LocalDateTime start = after.atZone(zone)
                .toLocalDateTime()
                .truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDate date = start.toLocalDate();
        for (int d = 0; d < MAX_DAYS; d++, date = date.plusDays(1)) {
            if (!months.get(date.getMonthValue()) || !dayMatches(date)) {
                continue;
            }
            boolean first = d == 0;
            for (int hour = hours.nextSetBit(first ? start.getHour() : 0);
                    hour >= 0;
                    hour = hours.nextSetBit(hour + 1)) {
                int fromMinute = first && hour == start.getHour() ? start.getMinute() : 0;
                for (int minute = minutes.nextSetBit(fromMinute);
                        minute >= 0;
                        minute = minutes.nextSetBit(minute + 1)) {
                    LocalDateTime local = LocalDateTime.of(date, LocalTime.of(hour, minute));
                    // In an overlap ofLocal takes the earlier offset (the first occurrence); in a gap it moves the
                    // time forward by the gap's length.
                    Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
                    if (at.isAfter(after)) {
                        return at;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The first fire time after {@code tick} that is later than {@code now}: where a schedule goes on after missed
     * ticks. An {@code @every} schedule keeps its phase (tick + k periods).
     */
    public Instant nextAfter(Instant tick, Instant now, ZoneId zone) {
        if (every != null) {
            if (now.isBefore(tick.plus(every))) {
                return tick.plus(every);
            }
            long periods = Duration.between(tick, now).toMillis() / every.toMillis() + 1;
            return tick.plus(every.multipliedBy(periods));
        }
        return next(now.isAfter(tick) ? now : tick, zone);
    }

    private boolean dayMatches(LocalDate date) {
        boolean day = days.get(date.getDayOfMonth());
        boolean weekday = weekdays.get(date.getDayOfWeek().getValue() % 7);
        return anyDay ? day && weekday : day || weekday;
    }

    /** Reads a zone id ({@code Europe/Paris}, {@code UTC}); null or blank is UTC. */
    public static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "unknown time zone '" + id + "'; use an IANA name such as Europe/Paris, or UTC");
        }
    }
}
