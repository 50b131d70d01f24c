package io.conveyor.worker.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.conveyor.worker.deadletter.PoisonMessageException;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.retry.FailurePolicy.Decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class FailurePolicyTest {

    private static final Duration NO_HANG = Duration.ofSeconds(2);

    /** A permanent failure of a handler's own making. */
    static class BadAddressException extends NonRetryableException {
        BadAddressException() {
            super("mailbox does not exist");
        }
    }

    /** Reports itself as its own cause, which {@link Throwable#initCause} would refuse. */
    static class SelfCausedException extends RuntimeException {
        SelfCausedException() {
            super("I caused myself");
        }

        @Override
        public synchronized Throwable getCause() {
            return this;
        }
    }

    static Stream<Arguments> nonRetryableFailures() {
        NonRetryableException permanent = new NonRetryableException("permanent");
        return Stream.of(
                Arguments.of("thrown directly", permanent),
                Arguments.of("a subclass", new BadAddressException()),
                Arguments.of("one level down", new RuntimeException("wrapped", permanent)),
                Arguments.of(
                        "three levels down",
                        new ExecutionException(new IllegalStateException(
                                "outer", new UncheckedIOException(new IOException("io", permanent))))),
                Arguments.of("under a timeout", new TaskTimeoutException(Duration.ofSeconds(5), permanent)));
    }

    @ParameterizedTest(name = "{0}, attempt {2} of {3}")
    @MethodSource("nonRetryableFailuresAtSeveralAttempts")
    void nonRetryableAnywhereInTheCauseChainGoesStraightToTheDeadLetters(
            String where, Throwable failure, int attempt, int maxAttempts) {
        assertEquals(Decision.DEAD_NON_RETRYABLE, FailurePolicy.decide(failure, attempt, maxAttempts));
    }

    static Stream<Arguments> nonRetryableFailuresAtSeveralAttempts() {
        return nonRetryableFailures()
                .flatMap(a -> Stream.of(
                        Arguments.of(a.get()[0], a.get()[1], 1, 5),
                        Arguments.of(a.get()[0], a.get()[1], 4, 5),
                        Arguments.of(a.get()[0], a.get()[1], 5, 5),
                        Arguments.of(a.get()[0], a.get()[1], 1, 1)));
    }

    @ParameterizedTest(name = "attempt {0} of {1} -> {2}")
    @CsvSource({
        "1,  5,  RETRY",
        "2,  5,  RETRY",
        "4,  5,  RETRY",
        "5,  5,  DEAD_EXHAUSTED",
        "6,  5,  DEAD_EXHAUSTED",
        "1,  1,  DEAD_EXHAUSTED",
        "24, 25, RETRY",
        "25, 25, DEAD_EXHAUSTED",
    })
    void otherFailuresRetryUntilTheLastAttempt(int attempt, int maxAttempts, Decision expected) {
        assertEquals(expected, FailurePolicy.decide(new IllegalStateException("transient"), attempt, maxAttempts));
        assertEquals(
                expected,
                FailurePolicy.decide(
                        new RuntimeException("wrapped", new IOException("connection reset")), attempt, maxAttempts));
        assertEquals(
                expected,
                FailurePolicy.decide(
                        new TaskTimeoutException(Duration.ofSeconds(30), new InterruptedException()),
                        attempt,
                        maxAttempts));
    }

    @Test
    void aPoisonMessageIsNotNonRetryableToThePolicy() {
        // Poison messages are dead-lettered by the consumer before a handler runs; to the policy they are ordinary.
        assertEquals(Decision.RETRY, FailurePolicy.decide(new PoisonMessageException("bad json"), 1, 5));
    }

    @Test
    void aSelfReferencingCauseDoesNotLoopForever() {
        Decision decision =
                assertTimeoutPreemptively(NO_HANG, () -> FailurePolicy.decide(new SelfCausedException(), 1, 5));

        assertEquals(Decision.RETRY, decision);
    }

    @Test
    void aSelfReferencingCauseUnderAWrapperDoesNotLoopForever() {
        Decision decision = assertTimeoutPreemptively(
                NO_HANG, () -> FailurePolicy.decide(new RuntimeException("outer", new SelfCausedException()), 5, 5));

        assertEquals(Decision.DEAD_EXHAUSTED, decision);
    }

    @Test
    void aCauseCycleOfTwoExceptionsDoesNotLoopForever() {
        // initCause only refuses the exception itself, so a -> b -> a is constructible (printStackTrace prints
        // "[CIRCULAR REFERENCE: ...]" for it).
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertSame(b, a.getCause());
        assertSame(a, b.getCause());

        Decision decision = assertTimeoutPreemptively(NO_HANG, () -> FailurePolicy.decide(a, 1, 5));

        assertEquals(Decision.RETRY, decision);
    }

    @Test
    void aCauseCycleHidingANonRetryableIsStillFound() {
        NonRetryableException permanent = new NonRetryableException("permanent");
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", permanent);
        a.initCause(b);
        permanent.initCause(a);

        Decision decision = assertTimeoutPreemptively(NO_HANG, () -> FailurePolicy.decide(a, 1, 5));

        assertEquals(Decision.DEAD_NON_RETRYABLE, decision);
    }

    @ParameterizedTest(name = "{0} -> x-dead-reason {1}")
    @CsvSource({
        "DEAD_NON_RETRYABLE, non-retryable",
        "DEAD_EXHAUSTED,     exhausted",
        "RETRY,              retry",
    })
    void decisionsNameTheirReason(Decision decision, String reason) {
        assertEquals(reason, decision.reason());
    }
}
