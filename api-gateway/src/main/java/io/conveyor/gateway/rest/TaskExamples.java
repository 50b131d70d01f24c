package io.conveyor.gateway.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Adds one request example per task type to {@code POST /api/v1/tasks} in the OpenAPI document, built from the
 * catalogue, so the documentation cannot drift from what validation accepts. It runs when the application is built,
 * so the examples are part of the stored document and no start reads the catalogue for them.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class TaskExamples implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        PathItem tasks = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/api/v1/tasks");
        if (tasks == null || tasks.getPOST() == null || tasks.getPOST().getRequestBody() == null) {
            return;
        }
        Content content = tasks.getPOST().getRequestBody().getContent();
        MediaType json = content.getMediaType("application/json");
        if (json == null) {
            json = OASFactory.createMediaType();
            content.addMediaType("application/json", json);
        }
        for (TaskType type : TaskCatalogue.load().all()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("type", type.name());
            request.put("payload", parse(type.example()));
            json.addExample(
                    type.name(),
                    OASFactory.createExample().summary(type.description()).value(request));
        }
    }

    private static Object parse(String example) {
        try {
            return Json.mapper().readValue(example, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Invalid example in a @TaskDefinition: " + example, e);
        }
    }
}
