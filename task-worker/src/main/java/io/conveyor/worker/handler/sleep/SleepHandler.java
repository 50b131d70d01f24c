package io.conveyor.worker.handler.sleep;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.SleepPayload;
import io.conveyor.model.result.NoResult;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/**
 * Sleeps for the payload's duration; interruptible, so the timeout and a forced shutdown stop it. A sleep of a second
 * or more reports its progress at the start and after each whole second: seconds slept of its duration in seconds
 * (rounded up).
 */
@ApplicationScoped
public class SleepHandler implements TaskHandler<SleepPayload> {

    private static final long SECOND = 1_000;

    @Override
    public Class<SleepPayload> payloadType() {
        return SleepPayload.class;
    }

    @Override
    public NoResult handle(SleepPayload payload, TaskContext context) throws InterruptedException {
        long millis = payload.duration().toMillis();
        if (millis < SECOND) {
            // Short sleeps (benchmarks) cost no progress writes.
            Thread.sleep(millis);
            return NoResult.INSTANCE;
        }
        long total = (millis + SECOND - 1) / SECOND;
        long start = System.nanoTime();
        context.progress(0, total, message(0, total));
        for (long slept = 1; slept <= total; slept++) {
            // Each second ends at its own time since the start, so the reports do not drift with the calls.
            long wake = Math.min(slept * SECOND, millis);
            long left = wake - (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
            if (wake == slept * SECOND) {
                context.progress(slept, total, message(slept, total));
            }
        }
        return NoResult.INSTANCE;
    }

    private static String message(long slept, long total) {
        return "slept " + slept + " of " + total + " s";
    }
}
