package io.conveyor.gateway.quota;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a rate, and the bucket it gives. */
class RateTest {

    @Test
    void readsPerSecondWithOrWithoutTheUnit() {
        assertEquals(new Rate(200, Duration.ofSeconds(1)), Rate.parse("200/s"));
        assertEquals(new Rate(200, Duration.ofSeconds(1)), Rate.parse("200"));
        assertEquals(new Rate(5, Duration.ofSeconds(1)), Rate.parse(" 5/S "));
    }

    @Test
    void readsPerMinute() {
        Rate rate = Rate.parse("12/m");

        assertEquals(new Rate(12, Duration.ofMinutes(1)), rate);
        assertEquals("12/m", rate.toString());
    }

    @Test
    void theBucketHoldsTwoPeriodsOfTheRate() {
        assertEquals(400, Rate.parse("200/s").burst());
        assertEquals(2, Rate.parse("200/s").fillSeconds());
        assertEquals(2, Rate.parse("1/s").burst());
        assertEquals(24, Rate.parse("12/m").burst());
        assertEquals(120, Rate.parse("12/m").fillSeconds());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "0", "0/s", "-1", "1.5/s", "200/h", "200/", "fast", "200 /s", "1000000001", "99999999999"})
    void refusesWhatIsNotAPositiveWholeRate(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Rate.parse(text));

        assertTrue(refused.getMessage().startsWith("A rate must be a positive whole number"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("was \"" + text + "\""), refused.getMessage());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> Rate.parse(null));
    }

    @Test
    void takesTheLargestCount() {
        assertEquals(2_000_000_000L, Rate.parse("1000000000/s").burst());
    }
}
