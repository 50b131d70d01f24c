package io.conveyor.gateway.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONVEYOR_QUEUE_MAX_LENGTHS: per-type overrides of the default limit, refused at startup when wrong. */
class QueueMaxLengthsTest {

    private static final List<String> TYPES = List.of("noop", "resize_image", "send_email");
    private static final String SETTING = "conveyor.queue-limits.max-lengths (CONVEYOR_QUEUE_MAX_LENGTHS)";

    private static Map<String, Long> parse(String overrides) {
        return QueueMaxLengths.parse(1_000_000, overrides, TYPES, SETTING);
    }

    private static String refusal(String overrides) {
        return assertThrows(IllegalArgumentException.class, () -> parse(overrides))
                .getMessage();
    }

    @Test
    void everyTypeGetsTheDefaultWithoutOverrides() {
        assertEquals(Map.of("noop", 1_000_000L, "resize_image", 1_000_000L, "send_email", 1_000_000L), parse(""));
    }

    @Test
    void overridesReplaceTheDefaultOfTheirTypesOnly() {
        assertEquals(
                Map.of("noop", 1_000_000L, "resize_image", 500L, "send_email", 10_000L),
                parse(" send_email = 10000 , resize_image=500,"));
    }

    @Test
    void anUnknownTypeIsRefusedNamingTheVariableAndTheKnownTypes() {
        String message = refusal("send_mail=10");
        assertTrue(message.startsWith("Invalid configuration: " + SETTING + ": "), message);
        assertTrue(message.contains("'send_mail' is not a task type of this gateway"), message);
        assertTrue(message.contains("known: noop, resize_image, send_email"), message);
    }

    @Test
    void aLimitMustBeAWholeNumberOfAtLeastOne() {
        assertTrue(refusal("noop=ten").contains("the limit of 'noop' must be a whole number of at least 1, was 'ten'"));
        assertTrue(refusal("noop=0").contains("was '0'"));
        assertTrue(refusal("noop=-5").contains("was '-5'"));
        assertTrue(refusal("noop=1.5").contains("was '1.5'"));
        assertTrue(refusal("noop=").contains("was ''"));
    }

    @Test
    void anEntryWithoutALimitOrGivenTwiceIsRefused() {
        assertTrue(refusal("noop").contains("'noop' is not type=limit"));
        assertTrue(refusal("noop=1,noop=2").contains("'noop' is given twice"));
    }

    @Test
    void everyBrokenEntryIsNamedAtOnce() {
        String message = refusal("nope=1,noop=x,send_email=5");
        assertTrue(message.contains("'nope' is not a task type"), message);
        assertTrue(message.contains("the limit of 'noop'"), message);
    }
}
