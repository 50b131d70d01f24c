package io.conveyor.model;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.conveyor.model.result.NoResult;

/**
 * Declares a payload record as a task type. The annotation is the catalogue entry: {@link TaskCatalogue}
 * finds every annotated record through the Jandex index, so adding a type touches only its record
 * (here) and its handler (in task-worker).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskDefinition {

    /** Wire name of the type: routing key, queue suffix and the {@code type} field of requests. */
    String name();

    /** One line for the catalogue endpoint and the OpenAPI document. */
    String description();

    /** Attempts before the task is dead-lettered, unless the request overrides it (1..25). */
    int maxAttempts() default 5;

    /** ISO-8601 duration a single attempt may run before it is interrupted and counted as failed. */
    String timeout() default "PT30S";

    /** A valid payload, as JSON: the API documentation's example for this type. */
    String example() default "{}";

    /**
     * The record its handler returns, which {@code GET /api/v1/tasks/{id}} shows as {@code result}: the API document
     * types each type's result with it. {@link NoResult} for a type that produces nothing.
     */
    Class<? extends Record> result() default NoResult.class;

    /** Diagnostic types (noop, sleep, fail) are removed from a deployment by {@code CONVEYOR_DIAGNOSTICS=false}. */
    boolean diagnostic() default false;
}
