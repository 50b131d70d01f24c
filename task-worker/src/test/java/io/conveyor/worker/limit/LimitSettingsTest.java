package io.conveyor.worker.limit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the limits from map keys and per-type environment variables, and refusing what does not fit. */
class LimitSettingsTest {

    private static final List<String> KNOWN = List.of("noop", "resize_image", "send_email", "sleep");
    private static final List<String> CONSUMED = List.of("noop", "send_email", "sleep");

    private static Map<String, TypeLimit> read(
            Map<String, String> rates, Map<String, String> running, Map<String, String> variables) {
        return LimitSettings.read(
                rates, running, name -> Optional.ofNullable(variables.get(name)), variables.keySet(), KNOWN, CONSUMED);
    }

    @Test
    void readsMapKeysAndTheVariablesNamedAfterEachType() {
        Map<String, TypeLimit> limits = read(
                Map.of("noop", "300/m"),
                Map.of("sleep", "3"),
                Map.of("CONVEYOR_WORKER_RATE_SEND_EMAIL", "5/s", "CONVEYOR_WORKER_MAX_RUNNING_SEND_EMAIL", "2"));
        assertEquals(List.of("noop", "send_email", "sleep"), List.copyOf(limits.keySet()));
        assertEquals(new TypeLimit("send_email", new TaskRate(5, Duration.ofSeconds(1)), 2), limits.get("send_email"));
        assertEquals(
                new TaskRate(300, Duration.ofMinutes(1)), limits.get("noop").rate());
        assertEquals(0, limits.get("noop").maxRunning());
        assertNull(limits.get("sleep").rate());
        assertEquals(3, limits.get("sleep").maxRunning());
        assertEquals(
                "send_email is limited to 5/s across all workers",
                limits.get("send_email").rateMessage());
        assertEquals(
                "sleep runs at most 3 at once across all workers",
                limits.get("sleep").runningMessage());
    }

    @Test
    void theKeySmallRyeMakesOfAVariableIsTheSameSetting() {
        // CONVEYOR_WORKER_RATE_SEND_EMAIL reaches the map as send.email; agreeing with its exact name is no conflict.
        Map<String, TypeLimit> limits =
                read(Map.of("send.email", "5/s"), Map.of(), Map.of("CONVEYOR_WORKER_RATE_SEND_EMAIL", "5/s"));
        assertEquals("5/s", limits.get("send_email").rate().toString());
    }

    @Test
    void aMisspeltVariableIsNamedOnce() {
        // SmallRye put CONVEYOR_WORKER_RATE_NOPE into the map as nope: one message, naming the key.
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> read(Map.of("nope", "1/s"), Map.of(), Map.of("CONVEYOR_WORKER_RATE_NOPE", "1/s")));
        assertEquals(
                "Invalid configuration: conveyor.worker.rate.nope names 'nope', which is not a task type; known: noop,"
                        + " resize_image, send_email, sleep",
                e.getMessage());
    }

    @Test
    void noSettingsLimitNothing() {
        assertTrue(read(Map.of(), Map.of(), Map.of()).isEmpty());
    }

    @Test
    void refusesUnknownAndUnconsumedTypesBadValuesAndDisagreements() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> read(
                        Map.of("nope", "5/s", "resize_image", "5/s", "noop", "five"),
                        Map.of("sleep", "0"),
                        Map.of(
                                "CONVEYOR_WORKER_MAX_RUNNING_SEND_EMAILS", "2",
                                "CONVEYOR_WORKER_RATE_NOOP", "6/s")));
        String message = e.getMessage();
        assertTrue(message.startsWith("Invalid configuration: "), message);
        assertTrue(message.contains("conveyor.worker.rate.nope names 'nope', which is not a task type"), message);
        assertTrue(
                message.contains("conveyor.worker.rate.resize_image limits 'resize_image', which this worker does not"
                        + " consume"),
                message);
        assertTrue(message.contains("CONVEYOR_WORKER_MAX_RUNNING_SEND_EMAILS names no task type"), message);
        assertTrue(message.contains("conveyor.worker.max-running.sleep must be a whole number of at least 1"), message);
        assertTrue(message.contains("disagree about 'noop'"), message);
    }

    @Test
    void ratesReadPerSecondMinuteOrHour() {
        assertEquals(new TaskRate(5, Duration.ofSeconds(1)), TaskRate.parse("5"));
        assertEquals(new TaskRate(5, Duration.ofSeconds(1)), TaskRate.parse(" 5/S "));
        assertEquals(new TaskRate(10, Duration.ofHours(1)), TaskRate.parse("10/h"));
        assertEquals(5, TaskRate.parse("5/s").burst());
        assertEquals(5, TaskRate.parse("300/m").burst());
        assertEquals(1, TaskRate.parse("10/h").burst());
        assertEquals("300/m", TaskRate.parse("300/m").toString());
        for (String bad : new String[] {"0/s", "-1", "5/d", "five", "", "1000000001"}) {
            assertThrows(IllegalArgumentException.class, () -> TaskRate.parse(bad), bad);
        }
    }
}
