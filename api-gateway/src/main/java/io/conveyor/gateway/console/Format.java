package io.conveyor.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** How the console writes numbers, times and durations: short, in UTC, the same on every page. Pure. */
public final class Format {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Format() {}

    /** {@code 2026-12-03 06:40:12Z}, or an empty string for none. */
    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** {@code 850 ms}, {@code 4.2 s}, {@code 3 min 5 s}, {@code 2 h 10 min}; empty for none. */
    public static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    /** Seconds as a duration, or an em dash when nothing waits. */
    public static String seconds(Double seconds) {
        return seconds == null ? "—" : duration(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** A count, or an em dash for an unknown one (negative). */
    public static String count(long n) {
        return n < 0 ? "—" : String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * The points of an SVG polyline drawing {@code values} in a {@code width} × {@code height} box, the highest value
     * touching the top; a flat line along the bottom when all are 0.
     */
    public static String sparkline(List<Long> values, int width, int height) {
        if (values == null || values.isEmpty()) {
            return "";
        }
        long max = values.stream().mapToLong(Long::longValue).max().orElse(0);
        StringBuilder points = new StringBuilder();
        double step = values.size() == 1 ? 0 : (double) width / (values.size() - 1);
        for (int i = 0; i < values.size(); i++) {
            double y = max <= 0 ? height - 1 : height - 1 - (double) values.get(i) / max * (height - 2);
            if (i > 0) {
                points.append(' ');
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f", i * step, y));
        }
        return points.toString();
    }
}
