package io.conveyor.worker.deadletter;

/**
 * A message redelivered so often that running it again would likely take another worker down with it. The worker
 * dead-letters it before the broker's own {@code x-delivery-limit} would, so the dead letter carries its story.
 */
public class CrashLoopException extends RuntimeException {

    public CrashLoopException(int deliveries) {
        super("Delivered " + deliveries + " times before without being settled (worker crashes or shutdowns); "
                + "not running it again");
    }
}
