package io.conveyor.client;

/**
 * Per-batch options ({@link ConveyorClient#submitBatch}). As for a submit, the client generates an idempotency key
 * per call unless told otherwise, so a retried batch never makes two.
 *
 * @param onComplete     a task submitted once, when every task of the batch is terminal; null for none
 * @param idempotencyKey the caller's own key (1..200 characters), sent as {@code Idempotency-Key}
 * @param generateKey    whether to generate a key when {@code idempotencyKey} is null
 */
public record BatchOptions(BatchTask onComplete, String idempotencyKey, boolean generateKey) {

    private static final BatchOptions DEFAULTS = new BatchOptions(null, null, true);

    /** No onComplete task, a generated idempotency key. */
    public static BatchOptions defaults() {
        return DEFAULTS;
    }

    public BatchOptions withOnComplete(BatchTask task) {
        return new BatchOptions(task, idempotencyKey, generateKey);
    }

    public BatchOptions withIdempotencyKey(String key) {
        return new BatchOptions(onComplete, key, generateKey);
    }

    /** No key: the client then retries only after a 429, as for a submit without one. */
    public BatchOptions withoutIdempotencyKey() {
        return new BatchOptions(onComplete, null, false);
    }
}
