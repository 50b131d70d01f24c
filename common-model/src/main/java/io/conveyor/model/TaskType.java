package io.conveyor.model;

import java.time.Duration;
import java.util.Objects;

import io.conveyor.model.result.NoResult;

/** One entry of the catalogue: a task type's wire name, its payload and result records and its defaults. */
public record TaskType(
        String name,
        Class<? extends Record> payloadClass,
        String description,
        int maxAttempts,
        Duration timeout,
        boolean diagnostic,
        String example,
        Class<? extends Record> resultClass) {

    public static final int MAX_ATTEMPTS_LIMIT = 25;

    /** A type whose handler returns nothing. */
    public TaskType(
            String name,
            Class<? extends Record> payloadClass,
            String description,
            int maxAttempts,
            Duration timeout,
            boolean diagnostic,
            String example) {
        this(name, payloadClass, description, maxAttempts, timeout, diagnostic, example, NoResult.class);
    }

    public TaskType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payloadClass, "payloadClass");
        Objects.requireNonNull(resultClass, "resultClass");
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Task type name '" + name + "' of " + payloadClass.getName()
                    + " must match [a-z][a-z0-9_]{0,62}: it becomes a routing key and a queue name");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxAttempts of task type '" + name + "' must be 1.." + MAX_ATTEMPTS_LIMIT);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout of task type '" + name + "' must be positive");
        }
    }

    static TaskType of(Class<? extends Record> payloadClass) {
        TaskDefinition def = payloadClass.getAnnotation(TaskDefinition.class);
        if (def == null) {
            throw new IllegalArgumentException(payloadClass.getName() + " is not annotated with @TaskDefinition");
        }
        return new TaskType(
                def.name(),
                payloadClass,
                def.description(),
                def.maxAttempts(),
                Duration.parse(def.timeout()),
                def.diagnostic(),
                def.example(),
                def.result());
    }

    /** The queue this type's tasks wait in. */
    public String queue() {
        return Topology.taskQueue(name);
    }
}
