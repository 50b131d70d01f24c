package io.conveyor.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("1994-11-06T08:49:30Z");

    @Test
    void readsDelaySeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(5)), RetryAfter.parse("5", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", NOW));
    }

    @Test
    void readsTheThreeDateForms() {
        Optional<Duration> seven = Optional.of(Duration.ofSeconds(7));
        assertEquals(seven, RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW), "IMF-fixdate");
        assertEquals(seven, RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW), "RFC 850");
        assertEquals(seven, RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW), "asctime");
    }

    @Test
    void aDateInThePastMeansNow() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", NOW));
    }

    @Test
    void whatCannotBeReadIsNoAdvice() {
        for (String header : new String[] {null, "", "  ", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT"}) {
            assertEquals(Optional.empty(), RetryAfter.parse(header, NOW), String.valueOf(header));
        }
    }

    @Test
    void anEndlessDelayDoesNotOverflow() {
        assertEquals(Optional.of(Duration.ofSeconds(Long.MAX_VALUE)), RetryAfter.parse("99999999999999999999999", NOW));
    }
}
