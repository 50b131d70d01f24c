package io.conveyor.gateway.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import io.conveyor.gateway.security.Roles;
import io.conveyor.model.query.QueryCatalogue;
import io.conveyor.model.query.QueryDefinition;

/**
 * {@code GET /api/v1/queries}: the queries this deployment allows {@code db_query} and {@code generate_report} to run,
 * each with its description and the type of each parameter. Never the SQL: that is the deployment's business.
 */
@Singleton
@Path("/api/v1/queries")
public class QueryResource {

    /**
     * One allow-listed query as the API shows it.
     *
     * @param parameters each parameter's type: text, integer, numeric, boolean, date or timestamp
     */
    public record QueryView(
            @NotNull String name,
            @NotNull String description,
            @NotNull Map<String, String> parameters) {}

    private final List<QueryView> views;

    public QueryResource(QueryCatalogue queries) {
        this.views = queries.all().stream().map(QueryResource::view).toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(operationId = "listQueries", summary = "The queries db_query and generate_report may run")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = QueryView.class)))
    public List<QueryView> list() {
        return views;
    }

    private static QueryView view(QueryDefinition query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        query.parameters().forEach((name, type) -> parameters.put(name, type.wireName()));
        return new QueryView(query.name(), query.description(), parameters);
    }
}
