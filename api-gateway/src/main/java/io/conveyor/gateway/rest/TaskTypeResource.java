package io.conveyor.gateway.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.gateway.security.Roles;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.quarkus.runtime.Startup;

/**
 * {@code GET /api/v1/task-types}: the catalogue, each type with the JSON Schemas of its payload and result (the same
 * ones the OpenAPI document carries, from {@link PayloadSchemas}) and its defaults. Built at startup, so a field
 * without a JSON type stops the gateway with {@link UnsupportedPayloadFieldException} naming the record and field.
 */
@Startup
@Singleton
@Path("/api/v1/task-types")
public class TaskTypeResource {

    /** One catalogue entry as the API shows it. */
    public record TaskTypeView(
            @NotNull String name,
            @NotNull String description,
            @NotNull String queue,
            @NotNull Defaults defaults,
            @NotNull JsonNode payloadSchema,
            @NotNull JsonNode resultSchema) {}

    /** What a task of this type gets unless its options say otherwise. */
    public record Defaults(int maxAttempts, @NotNull String timeout) {}

    private final List<TaskTypeView> views;

    public TaskTypeResource(TaskCatalogue catalogue) {
        this.views = catalogue.all().stream().map(TaskTypeResource::view).toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "listTaskTypes",
            summary = "The task types, with the JSON Schemas of their payloads and results")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = TaskTypeView.class)))
    public List<TaskTypeView> list() {
        return views;
    }

    private static TaskTypeView view(TaskType type) {
        return new TaskTypeView(
                type.name(),
                type.description(),
                type.queue(),
                new Defaults(type.maxAttempts(), type.timeout().toString()),
                PayloadSchemas.payload(type.payloadClass()),
                PayloadSchemas.result(type.resultClass()));
    }
}
