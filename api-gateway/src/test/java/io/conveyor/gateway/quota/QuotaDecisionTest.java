package io.conveyor.gateway.quota;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RateLimit header fields and Retry-After a decision gives. */
class QuotaDecisionTest {

    private static final Rate FIVE_PER_SECOND = Rate.parse("5/s");

    @Test
    void anAllowedRequestGetsThePolicyAndWhatIsLeft() {
        QuotaDecision decision = QuotaDecision.checked(FIVE_PER_SECOND, true, 9, 120);

        assertTrue(decision.allowed());
        assertEquals(
                Map.of("RateLimit-Policy", "\"client\";q=10;w=2", "RateLimit", "\"client\";r=9;t=1"),
                decision.headers());
    }

    @Test
    void aRefusalPointsTAndRetryAfterAtTheSameSecond() {
        QuotaDecision decision = QuotaDecision.checked(Rate.parse("12/m"), false, 0, 4_200);

        assertFalse(decision.allowed());
        assertEquals(5, decision.retryAfterSeconds());
        assertEquals("\"client\";r=0;t=5", decision.rateLimitHeader());
        assertEquals("\"client\";q=24;w=120", decision.policyHeader());
    }

    @Test
    void retryAfterRoundsUpToWholeSecondsAndIsAtLeastOne() {
        assertEquals(1, QuotaDecision.checked(FIVE_PER_SECOND, false, 0, 0).retryAfterSeconds());
        assertEquals(1, QuotaDecision.checked(FIVE_PER_SECOND, false, 0, 1).retryAfterSeconds());
        assertEquals(1, QuotaDecision.checked(FIVE_PER_SECOND, false, 0, 1_000).retryAfterSeconds());
        assertEquals(2, QuotaDecision.checked(FIVE_PER_SECOND, false, 0, 1_001).retryAfterSeconds());
    }

    @Test
    void anUncheckedRequestGoesThroughWithoutHeaders() {
        QuotaDecision decision = QuotaDecision.unchecked(FIVE_PER_SECOND);

        assertTrue(decision.allowed());
        assertFalse(decision.checked());
        assertTrue(decision.headers().isEmpty());
    }

    @Test
    void headersComeInOrderPolicyFirst() {
        assertEquals(
                "[RateLimit-Policy, RateLimit]",
                QuotaDecision.checked(FIVE_PER_SECOND, true, 3, 10)
                        .headers()
                        .keySet()
                        .toString());
    }
}
