package io.conveyor.gateway.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.conveyor.gateway.ops.Operations;
import io.conveyor.gateway.ops.QueuesView;
import io.conveyor.gateway.security.Roles;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;

/**
 * The operations API (README, "Operations API"): every queue's figures and the live workers (reader), and pausing or
 * resuming a type's consumers (operator). Pause and resume answer 204: the change is in Redis and announced to the
 * workers, which stop or start consuming within moments; GET /api/v1/queues then shows it.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    private final Operations operations;

    public OperationsResource(Operations operations) {
        this.operations = operations;
    }

    @GET
    @Path("queues")
    @RolesAllowed(Roles.READER)
    @Operation(
            operationId = "listQueues",
            summary = "Each task type's queue: messages, consumers, retries, dead tasks, throughput and latency")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = QueuesView.class)))
    public Uni<QueuesView> queues() {
        return operations.queues();
    }

    @GET
    @Path("workers")
    @RolesAllowed(Roles.READER)
    @Operation(operationId = "listWorkers", summary = "The live workers, by id, as they last reported")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = WorkerHeartbeat.class)))
    public Uni<List<WorkerHeartbeat>> workers() {
        return operations.workers();
    }

    @POST
    @Path("queues/{type}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(
            operationId = "pauseQueue",
            summary = "Stop the workers consuming a type; its tasks are still accepted and wait in the queue")
    @APIResponse(responseCode = "204", description = "Paused (recorded and announced to the workers)")
    @APIResponse(responseCode = "404", description = "Unknown task type")
    @APIResponse(
            responseCode = "503",
            description = "Redis unreachable (nothing changed), or the broker could not announce it (recorded; "
                    + "the workers follow within a heartbeat)")
    public Uni<Void> pause(@PathParam("type") String type) {
        return operations.pause(type);
    }

    @POST
    @Path("queues/{type}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "resumeQueue", summary = "Let the workers consume a paused type again")
    @APIResponse(responseCode = "204", description = "Resumed (recorded and announced to the workers)")
    @APIResponse(responseCode = "404", description = "Unknown task type")
    @APIResponse(
            responseCode = "503",
            description = "Redis unreachable (nothing changed), or the broker could not announce it (recorded; "
                    + "the workers follow within a heartbeat)")
    public Uni<Void> resume(@PathParam("type") String type) {
        return operations.resume(type);
    }
}
