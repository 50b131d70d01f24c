package io.conveyor.worker.consume;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.worker.deadletter.PoisonMessageException;
import io.conveyor.worker.route.HandlerRegistry;

/**
 * Reads a message body into a task, finds its route and binds its payload to the type's record, validated: whatever
 * cannot be read, routed or bound throws {@link PoisonMessageException}, since no retry could fix it.
 */
@ApplicationScoped
public class TaskDecoder {

    private final HandlerRegistry registry;
    private final Validator validator;

    public TaskDecoder(HandlerRegistry registry, Validator validator) {
        this.registry = registry;
        this.validator = validator;
    }

    static TaskEnvelope parse(byte[] body) {
        TaskEnvelope task;
        try {
            task = Json.mapper().readValue(body, TaskEnvelope.class);
        } catch (IOException e) {
            throw new PoisonMessageException("Body is not a task envelope: " + e.getMessage(), e);
        }
        if (task == null
                || task.id() == null
                || task.type() == null
                || task.payload() == null
                || task.maxAttempts() < 1) {
            throw new PoisonMessageException("Task envelope lacks id, type, payload or maxAttempts");
        }
        return task;
    }

    HandlerRegistry.Route route(TaskEnvelope task) {
        return registry.route(task.type())
                .orElseThrow(() ->
                        new PoisonMessageException("No handler for task type '" + task.type() + "' in this worker"));
    }

    Record bind(TaskEnvelope task, HandlerRegistry.Route route) {
        Record payload;
        try {
            payload = Json.mapper().treeToValue(task.payload(), route.type().payloadClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonMessageException(
                    "Payload does not bind to " + route.type().payloadClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
        Set<ConstraintViolation<Record>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new PoisonMessageException("Invalid " + task.type() + " payload: "
                    + violations.stream()
                            .map(v -> v.getPropertyPath() + " " + v.getMessage())
                            .sorted()
                            .collect(Collectors.joining("; ")));
        }
        return payload;
    }
}
