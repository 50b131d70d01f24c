package io.conveyor.model;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DelaysTest {

    @Test
    void retryTiersAreTheSixFixedDelaysInAscendingOrder() {
        assertEquals(
                List.of(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(10),
                        Duration.ofHours(1)),
                Topology.RETRY_TIERS);
    }

    @ParameterizedTest(name = "{0} rounds up to {1}")
    @CsvSource({
        // below and at the smallest tier
        "-PT5S,     PT1S",
        "PT0S,      PT1S",
        "PT0.001S,  PT1S",
        "PT1S,      PT1S",
        // just past a tier goes to the next one
        "PT1.001S,  PT5S",
        "PT5S,      PT5S",
        "PT5.001S,  PT30S",
        "PT30S,     PT30S",
        "PT31S,     PT2M",
        "PT2M,      PT2M",
        "PT2M1S,    PT10M",
        "PT10M,     PT10M",
        "PT10M1S,   PT1H",
        "PT1H,      PT1H",
        // beyond the largest tier: the largest tier
        "PT1H0.001S, PT1H",
        "PT5H,      PT1H",
        "P7D,       PT1H",
    })
    void roundUpToTierPicksTheSmallestTierAtLeastAsLongAsTheDelay(Duration delay, Duration expected) {
        assertEquals(expected, Delays.roundUpToTier(delay));
    }

    @ParameterizedTest(name = "{0} remaining hops {1}")
    @CsvSource({
        // less than the smallest tier remains: the smallest tier
        "-PT1S,     PT1S",
        "PT0S,      PT1S",
        "PT0.999S,  PT1S",
        // otherwise the largest tier that does not overshoot
        "PT1S,      PT1S",
        "PT4.999S,  PT1S",
        "PT5S,      PT5S",
        "PT29S,     PT5S",
        "PT30S,     PT30S",
        "PT1M59S,   PT30S",
        "PT2M,      PT2M",
        "PT9M59S,   PT2M",
        "PT10M,     PT10M",
        "PT59M59S,  PT10M",
        "PT1H,      PT1H",
        // longer than the largest tier: several hops of the largest
        "PT1H30M,   PT1H",
        "P7D,       PT1H",
    })
    void hopForPicksTheLargestTierNotLongerThanWhatRemains(Duration remaining, Duration expected) {
        assertEquals(expected, Delays.hopFor(remaining));
    }

    @ParameterizedTest(name = "{0} is labelled {1}")
    @CsvSource({
        "PT1S,  1s",
        "PT5S,  5s",
        "PT30S, 30s",
        "PT2M,  2m",
        "PT10M, 10m",
        "PT1H,  1h",
    })
    void tierLabelUsesTheLargestWholeUnit(Duration tier, String label) {
        assertEquals(label, Topology.tierLabel(tier));
        assertEquals("conveyor.retry." + label, Topology.retryQueue(tier));
    }

    @Test
    void everyTierHasItsOwnRetryQueue() {
        List<String> queues =
                Topology.RETRY_TIERS.stream().map(Topology::retryQueue).collect(Collectors.toList());
        assertEquals(
                List.of(
                        "conveyor.retry.1s",
                        "conveyor.retry.5s",
                        "conveyor.retry.30s",
                        "conveyor.retry.2m",
                        "conveyor.retry.10m",
                        "conveyor.retry.1h"),
                queues);
    }

    @Test
    void retryQueueOfThirtySecondsIsNamedAfterItsLabel() {
        assertEquals("conveyor.retry.30s", Topology.retryQueue(Duration.ofSeconds(30)));
    }
}
