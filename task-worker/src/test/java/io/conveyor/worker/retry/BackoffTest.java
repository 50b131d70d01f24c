package io.conveyor.worker.retry;

import java.time.Duration;
import java.util.Random;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.conveyor.model.Topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static final Backoff ONE_SECOND_TO_ONE_HOUR = new Backoff(Duration.ofSeconds(1), Duration.ofHours(1));

    @ParameterizedTest(name = "base {0}, cap {1}: attempt {2} -> {3}")
    @CsvSource({
        "PT1S,   PT1H, 1,  PT1S",
        "PT1S,   PT1H, 2,  PT2S",
        "PT1S,   PT1H, 3,  PT4S",
        "PT1S,   PT1H, 4,  PT8S",
        "PT1S,   PT1H, 10, PT512S",
        "PT1S,   PT1H, 12, PT2048S",
        "PT1S,   PT1H, 13, PT1H", // 4096 s would pass the cap
        "PT1S,   PT1H, 20, PT1H",
        "PT0.1S, PT1S, 1,  PT0.1S",
        "PT0.1S, PT1S, 2,  PT0.2S",
        "PT0.1S, PT1S, 4,  PT0.8S",
        "PT0.1S, PT1S, 5,  PT1S", // 1.6 s capped
        "PT3S,   PT5S, 1,  PT3S",
        "PT3S,   PT5S, 2,  PT5S", // 6 s capped
        "PT2S,   PT2S, 1,  PT2S", // base == cap
        "PT2S,   PT2S, 7,  PT2S",
    })
    void ceilingDoublesPerAttemptUpToTheCap(Duration base, Duration cap, int attempt, Duration expected) {
        assertEquals(expected, new Backoff(base, cap).ceiling(attempt));
    }

    @Test
    void ceilingNeverShrinksAsAttemptsGrow() {
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt <= 200; attempt++) {
            Duration ceiling = ONE_SECOND_TO_ONE_HOUR.ceiling(attempt);
            assertTrue(ceiling.compareTo(previous) >= 0, "attempt " + attempt + ": " + ceiling + " < " + previous);
            assertTrue(ceiling.compareTo(Duration.ofHours(1)) <= 0, "attempt " + attempt + ": " + ceiling);
            previous = ceiling;
        }
    }

    @ParameterizedTest(name = "attempt {0} is capped without overflow")
    @CsvSource({"31", "32", "63", "64", "65", "1000", "2147483647"})
    void hugeAttemptNumbersStayAtTheCap(int attempt) {
        assertEquals(Duration.ofHours(1), ONE_SECOND_TO_ONE_HOUR.ceiling(attempt));
        assertEquals(Duration.ofMillis(1_800_000), ONE_SECOND_TO_ONE_HOUR.jittered(attempt, fixed(0.5)));
        assertEquals(Duration.ofHours(1), ONE_SECOND_TO_ONE_HOUR.tier(attempt, fixed(0.999)));
    }

    @Test
    void hugeAttemptWithALongBaseAndCapDoesNotOverflow() {
        Backoff longOnes = new Backoff(Duration.ofDays(1), Duration.ofDays(3650));

        assertEquals(Duration.ofDays(3650), longOnes.ceiling(1000));
        assertEquals(Duration.ofDays(3650), longOnes.ceiling(Integer.MAX_VALUE));
    }

    @ParameterizedTest(name = "attempt {0} is treated as the first")
    @CsvSource({"0", "-1", "-1000"})
    void attemptsBelowOneGetTheBaseDelay(int attempt) {
        assertEquals(Duration.ofSeconds(1), ONE_SECOND_TO_ONE_HOUR.ceiling(attempt));
    }

    @ParameterizedTest(name = "attempt {0} (ceiling 4 s), random {1} -> {2} ms")
    @CsvSource({
        "3,    0.0,   0",
        "3,    0.25,  1000",
        "3,    0.5,   2000",
        "3,    0.999, 3996",
        "1,    0.5,   500",
        "1,    0.999, 999",
        "1000, 0.0,   0",
        "1000, 0.5,   1800000",
        "1000, 0.999, 3596400",
    })
    void jitteredScalesTheCeilingByTheRandomFraction(int attempt, double random, long expectedMillis) {
        assertEquals(Duration.ofMillis(expectedMillis), ONE_SECOND_TO_ONE_HOUR.jittered(attempt, fixed(random)));
    }

    @Test
    void jitteredStaysWithinZeroAndTheCeiling() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 30; attempt++) {
            Duration ceiling = ONE_SECOND_TO_ONE_HOUR.ceiling(attempt);
            for (double r : new double[] {0.0, Math.nextDown(1.0), random.nextDouble(), random.nextDouble()}) {
                Duration jittered = ONE_SECOND_TO_ONE_HOUR.jittered(attempt, fixed(r));
                assertTrue(
                        !jittered.isNegative() && jittered.compareTo(ceiling) <= 0,
                        "attempt " + attempt + ", random " + r + ": " + jittered + " outside [0, " + ceiling + "]");
            }
        }
    }

    @Test
    void jitteredDrawsOneRandomNumberPerCall() {
        int[] draws = {0};
        ONE_SECOND_TO_ONE_HOUR.jittered(5, () -> {
            draws[0]++;
            return 0.5;
        });

        assertEquals(1, draws[0]);
    }

    @ParameterizedTest(name = "attempt {0}, random {1} waits in the {2} tier")
    @CsvSource({
        "1,    0.0,   PT1S", // 0 ms rounds up to the smallest tier
        "1,    0.999, PT1S", // 999 ms
        "3,    0.5,   PT5S", // 2 s
        "4,    0.999, PT30S", // 7.992 s
        "6,    0.999, PT2M", // 31.968 s
        "8,    0.999, PT10M", // 127.872 s
        "11,   0.5,   PT10M", // 512 s
        "11,   0.999, PT1H", // 1022.976 s
        "1000, 0.999, PT1H",
        "1000, 0.0,   PT1S",
    })
    void tierRoundsTheJitteredDelayUpToARetryTier(int attempt, double random, Duration tier) {
        Duration chosen = ONE_SECOND_TO_ONE_HOUR.tier(attempt, fixed(random));

        assertEquals(tier, chosen);
        assertTrue(Topology.RETRY_TIERS.contains(chosen), chosen::toString);
    }

    @ParameterizedTest(name = "base {0}, cap {1} is refused")
    @CsvSource({
        "PT0S,  PT1H",
        "-PT1S, PT1H",
        "PT0S,  PT0S",
        "PT2S,  PT1S",
        "PT1H,  PT59M59.999S",
    })
    void constructorRefusesANonPositiveBaseOrACapBelowTheBase(Duration base, Duration cap) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Backoff(base, cap));

        assertTrue(e.getMessage().contains(base.toString()) && e.getMessage().contains(cap.toString()), e.getMessage());
    }

    private static DoubleSupplier fixed(double value) {
        return () -> value;
    }
}
