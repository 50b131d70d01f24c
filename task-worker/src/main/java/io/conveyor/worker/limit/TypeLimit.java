package io.conveyor.worker.limit;

/**
 * The limits of one task type across all workers: its rate (null for none) and the most of its attempts running at
 * once (0 for no such limit), with what a waiting task's view says about each.
 */
public record TypeLimit(String type, TaskRate rate, int maxRunning) {

    /** The view's {@code waiting.message} of a task sent back by the rate. */
    public String rateMessage() {
        return type + " is limited to " + rate + " across all workers";
    }

    /** The view's {@code waiting.message} of a task sent back because enough of its type run already. */
    public String runningMessage() {
        return type + " runs at most " + maxRunning + " at once across all workers";
    }

    @Override
    public String toString() {
        return type + " (" + (rate == null ? "" : "rate " + rate) + (rate != null && maxRunning > 0 ? ", " : "")
                + (maxRunning > 0 ? "at most " + maxRunning + " running" : "") + ")";
    }
}
