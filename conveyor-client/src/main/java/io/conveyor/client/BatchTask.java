package io.conveyor.client;

import java.util.Objects;

/**
 * One task of a batch ({@link ConveyorClient#submitBatch}): its type, its payload and its options. An idempotency key
 * in the options is not sent: a batch has one key, the batch's ({@link BatchOptions}).
 *
 * @param type    the task type's name
 * @param payload anything Jackson writes as the type's payload object, or null for a type without fields
 * @param options max attempts, delay and priority; null for the type's defaults
 */
public record BatchTask(String type, Object payload, SubmitOptions options) {

    public BatchTask {
        Objects.requireNonNull(type, "type");
        options = options == null ? SubmitOptions.defaults() : options;
    }

    /** A payload record; its type is the name of the record's {@code @TaskDefinition}. */
    public static BatchTask of(Object payload) {
        return of(payload, SubmitOptions.defaults());
    }

    /** A payload record with options; its type is the name of the record's {@code @TaskDefinition}. */
    public static BatchTask of(Object payload, SubmitOptions options) {
        Objects.requireNonNull(payload, "payload");
        return new BatchTask(ConveyorClient.typeOf(payload.getClass()), payload, options);
    }

    /** A task of a type by name. */
    public static BatchTask of(String type, Object payload, SubmitOptions options) {
        return new BatchTask(type, payload, options);
    }
}
