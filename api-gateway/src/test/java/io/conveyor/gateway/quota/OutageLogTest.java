package io.conveyor.gateway.quota;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fail-open warning: the first failure, then at most one a minute. */
class OutageLogTest {

    @Test
    void warnsOnTheFirstFailureThenOnceAMinute() {
        AtomicLong clock = new AtomicLong(1_000);
        OutageLog log = new OutageLog(Logger.getLogger(OutageLogTest.class), Duration.ofMinutes(1), clock::get);
        ConnectException down = new ConnectException("Connection refused");

        assertTrue(log.failed(down));
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        assertFalse(log.failed(down));
        assertFalse(log.failed(down));
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(log.failed(down));
        assertFalse(log.failed(down));
    }

    @Test
    void aClockPastZeroDoesNotConfuseIt() {
        AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 10);
        OutageLog log = new OutageLog(Logger.getLogger(OutageLogTest.class), Duration.ofMinutes(1), clock::get);

        assertTrue(log.failed(new IllegalStateException()));
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertFalse(log.failed(new IllegalStateException()));
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertTrue(log.failed(new IllegalStateException()));
    }
}
