package io.conveyor.gateway.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.conveyor.gateway.security.Roles;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.quarkus.runtime.Startup;

/**
 * {@code GET /api/v1/task-types}: the catalogue, each type with its payload's JSON schema and defaults. Built at
 * startup, so a payload field without a JSON Schema type stops the gateway with {@link
 * UnsupportedPayloadFieldException} naming the record and the field.
 */
@Startup
@Singleton
@Path("/api/v1/task-types")
public class TaskTypeResource {

    /** One catalogue entry as the API shows it. */
    public record TaskTypeView(
            String name, String description, String queue, Defaults defaults, Map<String, Object> payloadSchema) {}

    /** What a task of this type gets unless its options say otherwise. */
    public record Defaults(int maxAttempts, String timeout) {}

    private final List<TaskTypeView> views;

    public TaskTypeResource(TaskCatalogue catalogue) {
        this.views = catalogue.all().stream().map(TaskTypeResource::view).toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    public List<TaskTypeView> list() {
        return views;
    }

    private static TaskTypeView view(TaskType type) {
        return new TaskTypeView(
                type.name(),
                type.description(),
                type.queue(),
                new Defaults(type.maxAttempts(), type.timeout().toString()),
                JsonSchemas.of(type.payloadClass()));
    }
}
