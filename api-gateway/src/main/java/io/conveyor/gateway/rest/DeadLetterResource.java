package io.conveyor.gateway.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.deadletter.DeadLetter;
import io.conveyor.gateway.deadletter.DeadLetterQueue;
import io.conveyor.model.TaskCatalogue;
import io.smallrye.common.annotation.Blocking;

/** {@code /api/v1/dead-letters}: list, replay (one or by type) and discard dead tasks. Operator-only. */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    private final DeadLetterQueue deadLetters;
    private final AdminGuard guard;
    private final TaskCatalogue catalogue;

    public DeadLetterResource(DeadLetterQueue deadLetters, AdminGuard guard, TaskCatalogue catalogue) {
        this.deadLetters = deadLetters;
        this.guard = guard;
        this.catalogue = catalogue;
    }

    @GET
    public List<DeadLetter> list(
            @QueryParam("type") String type,
            @QueryParam("limit") Integer limit,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 1000) {
            throw ProblemException.invalid(
                    "limit must be 1..1000", List.of(new Problem.FieldError("limit", "must be between 1 and 1000")));
        }
        return deadLetters.browse(checkedType(type), size);
    }

    @POST
    @Path("{id}/replay")
    public Response replay(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        if (!deadLetters.replay(id)) {
            throw new ProblemException(Problem.of(
                    "dead-letter-not-found",
                    "Not Found",
                    404,
                    "No dead letter " + id + " (never dead, already replayed or discarded, or not replayable)"));
        }
        return Response.accepted(Map.of("id", id, "status", "QUEUED"))
                .header(HttpHeaders.LOCATION, "/api/v1/tasks/" + id)
                .build();
    }

    @POST
    @Path("replay")
    public Response replayAll(
            @QueryParam("type") String type, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        return Response.accepted(deadLetters.replayAll(checkedType(type))).build();
    }

    @DELETE
    @Path("{id}")
    public Response discard(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        if (!deadLetters.discard(id)) {
            throw new ProblemException(Problem.of("dead-letter-not-found", "Not Found", 404, "No dead letter " + id));
        }
        return Response.noContent().build();
    }

    private String checkedType(String type) {
        if (type != null && catalogue.find(type).isEmpty()) {
            throw ProblemException.invalid(
                    "Unknown task type '" + type + "'; known types: " + catalogue.names(),
                    List.of(new Problem.FieldError("type", "unknown task type")));
        }
        return type;
    }
}
