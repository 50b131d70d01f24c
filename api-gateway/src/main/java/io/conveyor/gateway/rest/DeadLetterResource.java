package io.conveyor.gateway.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.hibernate.validator.constraints.Range;

import io.conveyor.gateway.deadletter.DeadLetterQueue;
import io.conveyor.gateway.deadletter.NotReplayableException;
import io.conveyor.gateway.security.Roles;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskStatus;
import io.smallrye.common.annotation.Blocking;

/** {@code /api/v1/dead-letters}: list (reader), replay (one or by type) and discard dead tasks (operator). */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    private final DeadLetterQueue deadLetters;
    private final TaskCatalogue catalogue;

    public DeadLetterResource(DeadLetterQueue deadLetters, TaskCatalogue catalogue) {
        this.deadLetters = deadLetters;
        this.catalogue = catalogue;
    }

    /** The answer to a replay of one dead letter: it is queued again. */
    public record ReplayAccepted(
            @NotNull String id, @NotNull TaskStatus status) {}

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(operationId = "listDeadLetters", summary = "List dead letters, oldest first")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = DeadLetter.class)))
    public List<DeadLetter> list(
            @QueryParam("type") String type,
            @QueryParam("limit")
                    @DefaultValue("50")
                    @Range(min = 1, max = 1000)
                    // Range reads "must be between 1 and N"; the document takes its bounds from here.
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
                    int limit) {
        List<DeadLetter> found = deadLetters.browse(type, limit);
        requireKnownOrCarried(type, !found.isEmpty());
        return found;
    }

    @POST
    @Path("{id}/replay")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(
            operationId = "replayDeadLetter",
            summary = "Run a dead task again: it is queued with its attempts reset")
    @APIResponse(
            responseCode = "202",
            description = "Queued again",
            headers = @Header(name = "Location", description = "The task", schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ReplayAccepted.class)))
    @APIResponse(responseCode = "404", description = "No such dead letter (never dead, replayed or discarded)")
    @APIResponse(responseCode = "409", description = "It cannot run again (a poison message), or no queue is bound")
    public Response replay(@PathParam("id") String id) {
        DeadLetterQueue.Replayed outcome;
        try {
            outcome = deadLetters.replay(id);
        } catch (NotReplayableException e) {
            throw new ProblemException(Problem.of(
                    "dead-letter-not-replayable",
                    "Conflict",
                    409,
                    "Dead letter " + id + " cannot run again: " + e.why() + ". Nothing was changed; discard it with "
                            + "DELETE /api/v1/dead-letters/" + id));
        }
        if (!outcome.unroutable().isEmpty()) {
            throw new ProblemException(Problem.of(
                    "dead-letter-unroutable",
                    "Conflict",
                    409,
                    "Dead letter " + id + " could not be routed back: no queue is bound for its type. It stays dead, "
                            + "unchanged; declare the queue (start a gateway or worker that knows the type) and replay "
                            + "again, or discard it"));
        }
        if (outcome.replayed() == 0) {
            throw new ProblemException(Problem.of(
                    "dead-letter-not-found",
                    "Not Found",
                    404,
                    "No dead letter " + id + " (never dead, already replayed or discarded)"));
        }
        return Response.accepted(new ReplayAccepted(id, TaskStatus.QUEUED))
                .header(HttpHeaders.LOCATION, "/api/v1/tasks/" + id)
                .build();
    }

    @POST
    @Path("replay")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "replayDeadLetters", summary = "Run every dead task again, or every one of a type")
    @APIResponse(
            responseCode = "202",
            description = "How many were queued again, and the ids that had no queue to go back to",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DeadLetterQueue.Replayed.class)))
    public Response replayAll(@QueryParam("type") String type) {
        DeadLetterQueue.Replayed replayed = deadLetters.replayAll(type);
        requireKnownOrCarried(
                type, replayed.replayed() > 0 || !replayed.unroutable().isEmpty());
        return Response.accepted(replayed).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "discardDeadLetter", summary = "Remove a dead letter and its state for good")
    @APIResponse(responseCode = "204", description = "Discarded")
    @APIResponse(responseCode = "404", description = "No such dead letter")
    public Response discard(@PathParam("id") String id) {
        if (!deadLetters.discard(id)) {
            throw new ProblemException(Problem.of("dead-letter-not-found", "Not Found", 404, "No dead letter " + id));
        }
        return Response.noContent().build();
    }

    /**
     * A type filter must name a task type or the type some dead letter carries (one of a type since removed, or a
     * poison message's): a typo is refused, not answered with nothing.
     */
    private void requireKnownOrCarried(String type, boolean carried) {
        if (type != null && !carried && catalogue.find(type).isEmpty()) {
            throw ProblemException.invalid(
                    "Unknown task type '" + type + "': no dead letter carries it; known types: " + catalogue.names(),
                    List.of(new Problem.FieldError("type", "unknown task type")));
        }
    }
}
