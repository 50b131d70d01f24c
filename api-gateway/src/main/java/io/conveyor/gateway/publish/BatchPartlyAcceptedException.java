package io.conveyor.gateway.publish;

/**
 * Some of a batch's tasks were published and some could not be: those were cancelled, so the batch still ends (and
 * its onComplete task still runs) once the published ones finish. The client learns the batch's id to follow it.
 */
public class BatchPartlyAcceptedException extends RuntimeException {

    private final String batchId;

    public BatchPartlyAcceptedException(String batchId, int failed, int size, Throwable cause) {
        super(
                "Batch " + batchId + " was accepted only in part: " + failed + " of its " + size
                        + " tasks could not be published (" + cause.getMessage() + ") and were cancelled",
                cause,
                false,
                false);
        this.batchId = batchId;
    }

    public String batchId() {
        return batchId;
    }
}
