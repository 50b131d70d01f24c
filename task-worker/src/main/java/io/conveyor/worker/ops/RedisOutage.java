package io.conveyor.worker.ops;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

/**
 * Logs a Redis outage once when it starts and once when it ends: with Redis down every heartbeat would fail, and a
 * warning per beat would bury the logs that matter.
 */
final class RedisOutage {

    private final Logger log;
    private final AtomicBoolean down = new AtomicBoolean();

    RedisOutage(Logger log) {
        this.log = log;
    }

    /** A heartbeat's Redis call failed: logged when it is the first since Redis last answered. */
    void failed(Throwable failure) {
        if (down.compareAndSet(false, true)) {
            log.warnf(
                    "Redis did not answer this worker's heartbeat (%s): tasks run as usual, but the operations API "
                            + "may not list this worker, nor this worker see pauses it missed, until Redis answers",
                    describe(failure));
        }
    }

    /** Redis answered: ends an outage that was logged. */
    void answered() {
        if (down.compareAndSet(true, false)) {
            log.info("Redis answers this worker's heartbeats again");
        }
    }

    /** The failure's class and message: Redis's and its client's errors name hosts and commands, never passwords. */
    private static String describe(Throwable failure) {
        return failure.getMessage() == null
                ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
