package io.conveyor.gateway.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.conveyor.gateway.schedule.ScheduleDefinition;
import io.conveyor.gateway.schedule.ScheduleStore;
import io.conveyor.gateway.schedule.ScheduleView;
import io.conveyor.gateway.security.Caller;
import io.conveyor.gateway.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/schedules} (README, "Schedules"): recurring tasks. A producer creates, reads, replaces and deletes
 * its own schedules (another client's is a 404, as an unknown name, except that a create or replace of a taken name
 * is a 409); a reader reads all; an operator does everything, pause and resume included.
 */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    private final ScheduleRequests requests;
    private final ScheduleStore store;
    private final SecurityIdentity identity;

    public ScheduleResource(ScheduleRequests requests, ScheduleStore store, SecurityIdentity identity) {
        this.requests = requests;
        this.store = store;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRODUCER)
    @Operation(
            operationId = "createSchedule",
            summary = "Create a recurring schedule",
            description = "Validates the cron expression, the zone and the task (exactly as POST /api/v1/tasks "
                    + "validates a task; `idempotencyKey` and `delay` are not allowed) and saves it: each tick then "
                    + "fires one task, owned by the caller, whatever the number of gateways.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ScheduleRequest")))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            headers =
                    @Header(
                            name = "Location",
                            description = "The schedule",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "409", description = "A schedule of this name exists")
    public Uni<Response> create(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        TaskAnswers.requireContentType(contentType, body);
        ScheduleRequests.Valid valid =
                requests.read(body, null, Caller.of(identity).client());
        return save(valid, false);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRODUCER)
    @Operation(
            operationId = "putSchedule",
            summary = "Create or replace a schedule",
            description = "As POST, under the path's name. A replace keeps the owner, paused, lastFireAt and "
                    + "createdAt, and computes nextFireAt anew from now.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ScheduleRequest")))
    @APIResponse(
            responseCode = "200",
            description = "Replaced",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(
            responseCode = "201",
            description = "Created",
            headers =
                    @Header(
                            name = "Location",
                            description = "The schedule",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "409", description = "The name is another client's schedule")
    public Uni<Response> put(
            @PathParam("name") String name, byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        TaskAnswers.requireContentType(contentType, body);
        ScheduleRequests.Valid valid =
                requests.read(body, name, Caller.of(identity).client());
        return save(valid, true);
    }

    private Uni<Response> save(ScheduleRequests.Valid valid, boolean replace) {
        Caller caller = Caller.of(identity);
        ScheduleDefinition definition = valid.definition();
        return store.save(valid.name(), definition, valid.nextFireAt(), caller.client(), caller.cancelsAll(), replace)
                .flatMap(outcome -> switch (outcome) {
                    case CREATED ->
                        store.get(valid.name())
                                .map(view -> Response.status(201)
                                        .header(HttpHeaders.LOCATION, "/api/v1/schedules/" + valid.name())
                                        .entity(view)
                                        .build());
                    case REPLACED ->
                        store.get(valid.name()).map(view -> Response.ok(view).build());
                    default -> Uni.createFrom().item(taken(valid.name()));
                });
    }

    @GET
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "listSchedules",
            summary = "List schedules by name",
            description = "A producer sees its own schedules, a reader all.")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = ScheduleView.class)))
    public Uni<List<ScheduleView>> list() {
        Caller caller = Caller.of(identity);
        return store.list(caller.client(), caller.seesAll());
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(operationId = "getSchedule", summary = "Read a schedule, with its next and last fire times")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "Unknown schedule, or another client's")
    public Uni<Response> get(@PathParam("name") String name) {
        Caller caller = Caller.of(identity);
        return store.get(name)
                .map(view -> mayRead(caller, view) ? Response.ok(view).build() : notFound(name));
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.PRODUCER)
    @Operation(
            operationId = "deleteSchedule",
            summary = "Delete a schedule (a producer only its own, an operator any); the tasks it fired stay")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown schedule, or another client's")
    public Uni<Response> delete(@PathParam("name") String name) {
        Caller caller = Caller.of(identity);
        return store.delete(name, caller.client(), caller.cancelsAll())
                .map(outcome -> outcome == ScheduleStore.Outcome.DELETED
                        ? Response.noContent().build()
                        : notFound(name));
    }

    @POST
    @Path("{name}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "pauseSchedule", summary = "Stop a schedule firing; its definition stays")
    @APIResponse(
            responseCode = "200",
            description = "Paused (or already paused)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "Unknown schedule")
    public Uni<Response> pause(@PathParam("name") String name) {
        return store.pause(name).flatMap(outcome -> answer(name, outcome));
    }

    @POST
    @Path("{name}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(
            operationId = "resumeSchedule",
            summary = "Let a paused schedule fire again, from its next tick after now (ticks while paused are not "
                    + "fired)")
    @APIResponse(
            responseCode = "200",
            description = "Resumed (or not paused)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "Unknown schedule")
    public Uni<Response> resume(@PathParam("name") String name) {
        return store.get(name).flatMap(view -> {
            if (view == null) {
                return Uni.createFrom().item(notFound(name));
            }
            ScheduleDefinition definition =
                    new ScheduleDefinition(view.cron(), view.zone(), view.missed(), view.task());
            Instant next = definition.parsedCron().next(Instant.now(), definition.zoneId());
            return store.resume(name, next).flatMap(outcome -> answer(name, outcome));
        });
    }

    private Uni<Response> answer(String name, ScheduleStore.Outcome outcome) {
        if (outcome == ScheduleStore.Outcome.MISSING) {
            return Uni.createFrom().item(notFound(name));
        }
        return store.get(name)
                .map(view -> view == null ? notFound(name) : Response.ok(view).build());
    }

    private static boolean mayRead(Caller caller, ScheduleView view) {
        return view != null
                && (caller.seesAll()
                        || (caller.client() == null
                                ? view.client() == null
                                : caller.client().equals(view.client())));
    }

    static Response notFound(String name) {
        return ProblemMappers.respond(
                Problem.of("schedule-not-found", "Not Found", 404, "No schedule named " + name), null);
    }

    private static Response taken(String name) {
        return ProblemMappers.respond(
                Problem.of(
                        "schedule-exists",
                        "Conflict",
                        409,
                        "A schedule named " + name + " exists; choose another name, or PUT to replace your own"),
                null);
    }
}
