package io.conveyor.gateway.quota;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Warns that quota checks go unchecked at most once per interval, however many fail: with Redis down every request
 * would log. Each warning says how many failures went unlogged since the previous one.
 */
final class OutageLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    /** {@link System#nanoTime()} from which the next failure is logged. */
    private final AtomicLong nextWarning;

    private final AtomicLong unlogged = new AtomicLong();

    OutageLog(Logger log, Duration interval, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextWarning = new AtomicLong(nanoClock.getAsLong());
    }

    /** Records a failed check; logs it if no warning was logged within the interval. True when it logged. */
    boolean failed(Throwable failure) {
        long now = nanoClock.getAsLong();
        long due = nextWarning.get();
        if (now - due < 0 || !nextWarning.compareAndSet(due, now + intervalNanos)) {
            unlogged.incrementAndGet();
            return false;
        }
        long before = unlogged.getAndSet(0);
        log.warnf(
                "Quota checks are not enforced: Redis did not answer in time or failed (%s). Requests go through "
                        + "unchecked until it answers again.%s",
                describe(failure), before == 0 ? "" : " " + before + " more such failures since the last warning.");
        return true;
    }

    /** The failure's class and message: Redis's and its client's errors name hosts and commands, never passwords. */
    private static String describe(Throwable failure) {
        return failure.getMessage() == null
                ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
