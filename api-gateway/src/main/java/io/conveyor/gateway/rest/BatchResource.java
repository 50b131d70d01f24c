package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.conveyor.gateway.publish.BatchCompletion;
import io.conveyor.gateway.publish.BatchRequest;
import io.conveyor.gateway.publish.BatchSubmission;
import io.conveyor.gateway.quota.QuotaLimiter;
import io.conveyor.gateway.security.Caller;
import io.conveyor.gateway.security.Roles;
import io.conveyor.gateway.state.LongPoll;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.BatchAccepted;
import io.conveyor.model.BatchView;
import io.conveyor.model.Headers;
import io.conveyor.model.TaskRequest;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/batches}: submit up to {@value TaskRequestReader#MAX_BATCH} tasks at once, validated all or nothing
 * and published with one wave of confirms, then follow them together, optionally with a task submitted once they
 * are all terminal (README, "Batches"). Owner-scoped like tasks: another client's batch is answered 404.
 */
@Path("/api/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
public class BatchResource {

    private final TaskRequestReader reader;
    private final BatchSubmission submission;
    private final BatchCompletion completion;
    private final TaskStore store;
    private final LongPoll longPoll;
    private final QuotaLimiter quota;
    private final SecurityIdentity identity;

    public BatchResource(
            TaskRequestReader reader,
            BatchSubmission submission,
            BatchCompletion completion,
            TaskStore store,
            LongPoll longPoll,
            QuotaLimiter quota,
            SecurityIdentity identity) {
        this.quota = quota;
        this.reader = reader;
        this.submission = submission;
        this.completion = completion;
        this.store = store;
        this.longPoll = longPoll;
        this.identity = identity;
    }

    /** The body of {@code POST /api/v1/batches}, as the OpenAPI document describes it (read by TaskRequestReader). */
    public record BatchBody(
            @NotNull @Size(min = 1, max = TaskRequestReader.MAX_BATCH)
            List<TaskRequest> tasks,

            TaskRequest onComplete) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRODUCER)
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BatchBody.class)))
    @Operation(
            operationId = "submitBatch",
            summary = "Submit a batch of tasks",
            description = "Body {tasks: [{type, payload, options}, ...], onComplete: {type, payload, options}}: 1 to "
                    + TaskRequestReader.MAX_BATCH + " tasks, each validated as by POST /api/v1/tasks; one invalid "
                    + "task refuses the whole batch (400 listing every bad index). Answers 202 once the broker "
                    + "confirmed every task. The optional onComplete task is submitted once, when every task is "
                    + "terminal.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted (the broker confirmed every task); poll the Location",
            headers = @Header(name = "Location", description = "The batch", schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BatchAccepted.class)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid batch, nothing accepted: `errors` lists every bad field with its task's `index`")
    @APIResponse(responseCode = "503", description = "Broker unavailable: nothing accepted (Retry-After)")
    @Cancellable(false)
    public Uni<Response> submit(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(TaskResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @HeaderParam(Headers.TRACEPARENT) String traceparent) {
        TaskAnswers.requireContentType(contentType, body);
        BatchRequest batch =
                reader.requireWebhookSecrets(reader.readBatch(body, idempotencyKey, Traceparents.current(traceparent))
                        .ownedBy(Caller.of(identity).client()));
        // A batch costs its tasks against the client's quota: the request took one token, the rest is charged here
        // (as a debt when the bucket holds fewer), so batches cannot multiply a client's rate.
        int tasks = batch.tasks().size() + (batch.onComplete() == null ? 0 : 1);
        Uni<?> charged = QuotaFilter.counted(identity) && tasks > 1
                ? quota.charge(identity.getPrincipal().getName(), QuotaFilter.rateOf(identity, quota), tasks - 1)
                : Uni.createFrom().nullItem();
        return charged.flatMap(ignored -> submission.submit(batch))
                .map(accepted -> Response.accepted(accepted)
                        .header(HttpHeaders.LOCATION, "/api/v1/batches/" + accepted.id())
                        .build());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "getBatch",
            summary = "Read a batch",
            description = "Counts of its tasks per status; done once every task is terminal. With ?wait=PT30S, "
                    + "answers as soon as the batch is done, or when the wait ends.")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "404", description = "Unknown batch, or another client's")
    public Uni<Response> get(
            @PathParam("id") String id,
            @QueryParam("wait")
                    @WaitDuration
                    @Parameter(
                            description = "ISO-8601 duration to wait for the batch to be done (PT0S to the gateway's "
                                    + "maximum, 60 s by default)",
                            schema = @Schema(type = SchemaType.STRING, format = "duration"))
                    String wait) {
        Duration timeout = WaitDuration.Validator.parse(wait);
        Caller caller = Caller.of(identity);
        // Another client's batch is answered at once, as an unknown one is: waiting would tell when it is done.
        return store.getBatch(id).flatMap(view -> {
            if (!caller.mayRead(view)) {
                return Uni.createFrom().item(notFound(id));
            }
            Uni<BatchView> current =
                    timeout.isZero() || view.done() ? Uni.createFrom().item(view) : longPoll.readBatch(id, timeout);
            return current.map(later -> found(id, later, caller));
        });
    }

    private Response found(String id, BatchView view, Caller caller) {
        if (!caller.mayRead(view)) {
            return notFound(id);
        }
        if (view.done() && view.onCompleteTaskId() != null && !view.onCompletePublished()) {
            // Done, and its onComplete task not yet published: its publisher may have died. Claiming it is safe
            // whoever else is at it (BatchCompleter).
            completion.completeInBackground(id);
        }
        return Response.ok(view).build();
    }

    private static Response notFound(String id) {
        return ProblemMappers.respond(
                Problem.of(
                        "batch-not-found",
                        "Not Found",
                        404,
                        "No batch " + id + " (unknown, or its retention has passed)"),
                null);
    }
}
