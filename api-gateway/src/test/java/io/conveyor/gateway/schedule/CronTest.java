package io.conveyor.gateway.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Five-field cron and @every: parsing, next fire times, day rules and daylight saving in Europe/Paris. */
class CronTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // expression | after (UTC) | next (UTC)
                "* * * * *           | 2026-01-01T10:00:30Z | 2026-01-01T10:01:00Z",
                "* * * * *           | 2026-01-01T10:01:00Z | 2026-01-01T10:02:00Z",
                "*/15 * * * *        | 2026-01-01T10:01:00Z | 2026-01-01T10:15:00Z",
                "0 9 * * *           | 2026-01-01T09:00:00Z | 2026-01-02T09:00:00Z",
                "0 9 * * MON-FRI     | 2026-01-02T10:00:00Z | 2026-01-05T09:00:00Z",
                "30 8 1 * *          | 2026-01-15T00:00:00Z | 2026-02-01T08:30:00Z",
                "0 0 1 jan *         | 2026-06-01T00:00:00Z | 2027-01-01T00:00:00Z",
                "0 12 * * 7          | 2026-01-01T00:00:00Z | 2026-01-04T12:00:00Z",
                "0 12 * * 0          | 2026-01-01T00:00:00Z | 2026-01-04T12:00:00Z",
                "5,10-12 3 * * *     | 2026-01-01T03:10:00Z | 2026-01-01T03:11:00Z",
                "10-50/20 * * * *    | 2026-01-01T03:31:00Z | 2026-01-01T03:50:00Z",
                "7/20 * * * *        | 2026-01-01T03:48:00Z | 2026-01-01T04:07:00Z",
                "0 0 29 2 *          | 2026-03-01T00:00:00Z | 2028-02-29T00:00:00Z",
                // Both day fields restricted: either matches (the 13th, or a Friday).
                "0 0 13 * FRI        | 2026-01-01T00:00:00Z | 2026-01-02T00:00:00Z",
                "0 0 13 * FRI        | 2026-01-10T00:00:00Z | 2026-01-13T00:00:00Z",
                // Day of week starred with a step: both must match (Vixie cron's rule).
                "0 0 13 * */1        | 2026-01-01T00:00:00Z | 2026-01-13T00:00:00Z",
                "@hourly             | 2026-01-01T10:59:59Z | 2026-01-01T11:00:00Z",
                "@daily              | 2026-01-01T10:00:00Z | 2026-01-02T00:00:00Z",
                "@weekly             | 2026-01-01T10:00:00Z | 2026-01-04T00:00:00Z",
                "@monthly            | 2026-01-01T10:00:00Z | 2026-02-01T00:00:00Z",
                "@yearly             | 2026-01-01T10:00:00Z | 2027-01-01T00:00:00Z"
            })
    void nextInUtc(String expression, String after, String next) {
        assertEquals(Instant.parse(next), Cron.parse(expression).next(Instant.parse(after), UTC));
    }

    @Test
    void readsTheExpressionInItsZone() {
        // 09:00 in Paris is 08:00 UTC in winter, 07:00 UTC in summer.
        Cron nine = Cron.parse("0 9 * * *");
        assertEquals(Instant.parse("2026-01-10T08:00:00Z"), nine.next(Instant.parse("2026-01-10T00:00:00Z"), PARIS));
        assertEquals(Instant.parse("2026-07-10T07:00:00Z"), nine.next(Instant.parse("2026-07-10T00:00:00Z"), PARIS));
    }

    @Test
    void springForwardFiresTheMissingTimeAsMuchLaterOnce() {
        // 29 March 2026, Paris: 02:00 CET becomes 03:00 CEST; 02:30 does not exist.
        Cron halfPastTwo = Cron.parse("30 2 * * *");
        Instant before = ZonedDateTime.of(2026, 3, 29, 1, 0, 0, 0, PARIS).toInstant();
        Instant fired = halfPastTwo.next(before, PARIS);
        assertEquals(ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, PARIS).toInstant(), fired);
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), fired);
        // The next day it is 02:30 again.
        assertEquals(ZonedDateTime.of(2026, 3, 30, 2, 30, 0, 0, PARIS).toInstant(), halfPastTwo.next(fired, PARIS));

        // Every half hour: the gap's two slots fold onto 03:00 and 03:30, each fired once.
        Cron halfHourly = Cron.parse("0,30 * * * *");
        List<Instant> fires = fires(
                halfHourly, ZonedDateTime.of(2026, 3, 29, 1, 0, 0, 0, PARIS).toInstant(), 4);
        assertEquals(
                List.of(
                        Instant.parse("2026-03-29T00:30:00Z"), // 01:30 CET
                        Instant.parse("2026-03-29T01:00:00Z"), // 03:00 CEST (02:00 does not exist)
                        Instant.parse("2026-03-29T01:30:00Z"), // 03:30 CEST
                        Instant.parse("2026-03-29T02:00:00Z")), // 04:00 CEST
                fires);
    }

    @Test
    void fallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
        // 25 October 2026, Paris: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        Cron halfPastTwo = Cron.parse("30 2 * * *");
        Instant before = ZonedDateTime.of(2026, 10, 25, 0, 0, 0, 0, PARIS).toInstant();
        Instant fired = halfPastTwo.next(before, PARIS);
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), fired); // 02:30 CEST
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), halfPastTwo.next(fired, PARIS)); // next day, CET

        // From inside the repeated hour's second pass, the next is after it, not back in the first.
        Instant secondPass = Instant.parse("2026-10-25T01:10:00Z"); // 02:10 CET
        assertEquals(
                Instant.parse("2026-10-25T02:00:00Z"), Cron.parse("0 * * * *").next(secondPass, PARIS));
    }

    @Test
    void everyKeepsItsPeriodAndPhase() {
        Cron every = Cron.parse("@every PT2S");
        assertEquals(Duration.ofSeconds(2), every.period());
        Instant tick = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(tick.plusSeconds(2), every.next(tick, UTC));
        // After downtime the next tick after now, in phase with the old ones.
        assertEquals(tick.plusSeconds(12), every.nextAfter(tick, tick.plusSeconds(11), UTC));
        assertEquals(tick.plusSeconds(12), every.nextAfter(tick, tick.plusMillis(10_500), UTC));
        assertEquals(tick.plusSeconds(2), every.nextAfter(tick, tick.plusMillis(1), UTC));
        assertEquals(Duration.ofMinutes(90), Cron.parse("@every PT1H30M").period());
    }

    @Test
    void nextAfterSkipsToTheFirstFutureTickOfACron() {
        Cron hourly = Cron.parse("0 * * * *");
        Instant tick = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(
                Instant.parse("2026-01-01T06:00:00Z"),
                hourly.nextAfter(tick, Instant.parse("2026-01-01T05:10:00Z"), UTC));
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), hourly.nextAfter(tick, tick, UTC));
    }

    @Test
    void anExpressionNoDateMatchesNeverFires() {
        assertNull(Cron.parse("0 0 30 2 *").next(Instant.parse("2026-01-01T00:00:00Z"), UTC));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "* * * *",
                "* * * * * *",
                "60 * * * *",
                "* 24 * * *",
                "* * 0 * *",
                "* * * 13 *",
                "* * * * 8",
                "5-1 * * * *",
                "*/0 * * * *",
                "a * * * *",
                "* * * FOO *",
                "@every",
                "@every 2s",
                "@every PT0.5S",
                "@every P400D",
                "@sometimes"
            })
    void refusesWhatIsNotAnExpression(String expression) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cron.parse(expression));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void zonesAreIanaIdsAndUtcByDefault() {
        assertEquals(UTC, Cron.zone(null));
        assertEquals(PARIS, Cron.zone("Europe/Paris"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cron.zone("Mars/Olympus"));
        assertTrue(e.getMessage().contains("Mars/Olympus"));
    }

    private static List<Instant> fires(Cron cron, Instant from, int count) {
        List<Instant> out = new ArrayList<>();
        Instant at = from;
        for (int i = 0; i < count; i++) {
            at = cron.next(at, PARIS);
            out.add(at);
        }
        return out;
    }
}
