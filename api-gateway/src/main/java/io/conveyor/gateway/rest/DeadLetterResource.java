package io.conveyor.gateway.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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

import org.hibernate.validator.constraints.Range;

import io.conveyor.gateway.deadletter.DeadLetter;
import io.conveyor.gateway.deadletter.DeadLetterQueue;
import io.smallrye.common.annotation.Blocking;

/** {@code /api/v1/dead-letters}: list, replay (one or by type) and discard dead tasks. Operator-only. */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    private final DeadLetterQueue deadLetters;
    private final AdminGuard guard;

    public DeadLetterResource(DeadLetterQueue deadLetters, AdminGuard guard) {
        this.deadLetters = deadLetters;
        this.guard = guard;
    }

    @GET
    public List<DeadLetter> list(
            @QueryParam("type") @KnownTaskType String type,
            @QueryParam("limit") @DefaultValue("50") @Range(min = 1, max = 1000) int limit,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        return deadLetters.browse(type, limit);
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
            @QueryParam("type") @KnownTaskType String type,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        return Response.accepted(deadLetters.replayAll(type)).build();
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
}
