package io.conveyor.client;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110, 10.2.3): delay-seconds, or an HTTP date in any of the three forms a
 * recipient must accept (IMF-fixdate, the obsolete RFC 850 form and asctime).
 */
final class RetryAfter {

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: a two-digit year, read as within 50 years of now (RFC 9110). */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);

    /** {@code Sun Nov  6 08:49:37 1994}: the day of month padded with a space. */
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEE MMM ppd HH:mm:ss yyyy")
            .toFormatter(Locale.US);

    private RetryAfter() {}

    /**
     * The wait the header asks for, counted from {@code now}: zero for a date already past, empty when the header is
     * absent or cannot be read (the caller then backs off on its own).
     */
    static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                // More digits than a long holds: as good as "never", which no client waits for.
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        return date(value).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    private static Optional<Instant> date(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            // one of the obsolete forms, always in GMT
        }
        for (DateTimeFormatter format : List.of(RFC_850, ASCTIME)) {
            try {
                return Optional.of(LocalDateTime.parse(value, format).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
