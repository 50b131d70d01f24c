package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How a submit reads RFC 7240's {@code Prefer: wait=N}; no services needed. */
class PreferWaitParseTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static Duration parse(String... headers) {
        return PreferWait.parse(Arrays.asList(headers), MAX_WAIT);
    }

    @Test
    void readsTheWaitInSeconds() {
        assertEquals(Duration.ofSeconds(10), parse("wait=10"));
        assertEquals(Duration.ofSeconds(5), parse("respond-async, wait=5"));
        assertEquals(Duration.ofSeconds(5), parse("WAIT = 5"));
        assertEquals(Duration.ofSeconds(5), parse("wait=\"5\""));
        assertEquals(Duration.ofSeconds(7), parse("handling=lenient", "wait=7;x=y"));
    }

    @Test
    void theFirstWaitCounts() {
        assertEquals(Duration.ofSeconds(3), parse("wait=3, wait=9"));
        assertEquals(Duration.ofSeconds(3), parse("wait=3", "wait=9"));
    }

    @Test
    void isCappedAtSixtySecondsAndAtTheConfiguredMaximum() {
        assertEquals(Duration.ofSeconds(60), parse("wait=600"));
        assertEquals(Duration.ofSeconds(60), parse("wait=999999999"));
        assertEquals(Duration.ofSeconds(20), PreferWait.parse(List.of("wait=30"), Duration.ofSeconds(20)));
        assertEquals(Duration.ofSeconds(60), PreferWait.parse(List.of("wait=90"), Duration.ofMinutes(5)));
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertNull(PreferWait.parse(null, MAX_WAIT));
        assertNull(parse("respond-async"));
        assertNull(parse("wait"));
        assertNull(parse("wait="));
        assertNull(parse("wait=0"));
        assertNull(parse("wait=-1"));
        assertNull(parse("wait=1.5"));
        assertNull(parse("wait=soon"));
        assertNull(parse("wait=9999999999999"));
        assertNull(parse((String) null));
    }

    @Test
    void saysWhatItApplied() {
        assertEquals("wait=12", PreferWait.applied(Duration.ofSeconds(12)));
    }
}
