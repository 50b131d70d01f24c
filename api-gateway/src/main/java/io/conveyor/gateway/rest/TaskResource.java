package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.hibernate.validator.constraints.Range;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.metrics.GatewayMetrics;
import io.conveyor.gateway.publish.BatchCompletion;
import io.conveyor.gateway.publish.TaskSubmission;
import io.conveyor.gateway.publish.ValidatedTask;
import io.conveyor.gateway.security.Caller;
import io.conveyor.gateway.security.Roles;
import io.conveyor.gateway.state.LongPoll;
import io.conveyor.gateway.state.TaskPage;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.gateway.webhook.CancelWebhooks;
import io.conveyor.model.Headers;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/tasks}: submit (202 after the broker's confirm), read with long-poll, list, cancel. A producer sees
 * and cancels only its own tasks: another client's task is answered 404 exactly like an unknown id.
 */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_LIMIT = 100;

    private final TaskRequestReader reader;
    private final TaskSubmission submission;
    private final TaskStore store;
    private final LongPoll longPoll;
    private final SecurityIdentity identity;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final BatchCompletion batches;
    private final CancelWebhooks cancelWebhooks;

    public TaskResource(
            TaskRequestReader reader,
            TaskSubmission submission,
            TaskStore store,
            LongPoll longPoll,
            SecurityIdentity identity,
            GatewayMetrics metrics,
            GatewayConfig config,
            BatchCompletion batches,
            CancelWebhooks cancelWebhooks) {
        this.batches = batches;
        this.cancelWebhooks = cancelWebhooks;
        this.metrics = metrics;
        this.config = config;
        this.reader = reader;
        this.submission = submission;
        this.store = store;
        this.longPoll = longPoll;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRODUCER)
    @Operation(
            operationId = "submitTask",
            summary = "Submit a task",
            description = "Validates the payload against its type (see /api/v1/task-types), "
                    + "publishes it persistently and answers 202 only after the broker confirmed it. "
                    + "With `Prefer: wait=N` (RFC 7240, N seconds, at most 60) it answers 200 with the finished "
                    + "task if the task reaches a terminal state within N seconds, else the usual 202; "
                    + "both carry `Preference-Applied: wait=N`.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TaskRequest")))
    @APIResponse(
            responseCode = "200",
            description = "Finished within the wait that `Prefer: wait=N` asked for: the task's view",
            headers = {
                @Header(name = "Location", description = "The task", schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = "Preference-Applied",
                        description = "wait=N, the wait applied",
                        schema = @Schema(type = SchemaType.STRING))
            },
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(
            responseCode = "202",
            description = "Accepted (the broker confirmed it); poll the Location",
            headers = {
                @Header(name = "Location", description = "The task", schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = "Preference-Applied",
                        description = "wait=N, when `Prefer: wait=N` was asked for",
                        schema = @Schema(type = SchemaType.STRING))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid request: each invalid field is listed in `errors`")
    @APIResponse(
            responseCode = "409",
            description = "A request with this Idempotency-Key is still being accepted; retry after Retry-After")
    @APIResponse(
            responseCode = "422",
            description = "This Idempotency-Key was used within its window for a different request")
    @APIResponse(
            responseCode = "503",
            description = "Broker unavailable, or the type's queue full: nothing accepted (Retry-After)")
    @Parameter(
            name = PreferWait.PREFER,
            in = ParameterIn.HEADER,
            description = "wait=N (RFC 7240; seconds, at most 60): answer 200 with the finished task if it reaches a "
                    + "terminal state within N seconds",
            schema = @Schema(type = SchemaType.STRING, examples = "wait=10"))
    // A client that hangs up must not cancel an accept half way: the key would stay claimed and the record orphaned.
    @Cancellable(false)
    public Uni<Response> submit(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(IDEMPOTENCY_KEY)
                    @Parameter(
                            description = "Submitting again with the same key and body answers the same task",
                            schema = @Schema(minLength = 1, maxLength = 200))
                    String idempotencyKey,
            @HeaderParam(Headers.TRACEPARENT)
                    @Parameter(description = "W3C trace context: the task's spans join the caller's trace")
                    String traceparent,
            @Context HttpHeaders headers) {
        TaskAnswers.requireContentType(contentType, body);
        ValidatedTask task;
        try {
            task = reader.requireWebhookSecret(reader.read(body, idempotencyKey, Traceparents.current(traceparent))
                    .ownedBy(Caller.of(identity).client()));
        } catch (ProblemException e) {
            metrics.rejected(e.taskType(), e.problem().slug());
            throw e;
        }
        Uni<TaskAccepted> accepted = metrics.count(task.type().name(), submission.submit(task));
        Duration wait = PreferWait.parse(
                headers.getRequestHeader(PreferWait.PREFER), config.state().maxWait());
        if (wait == null) {
            return accepted.map(TaskAnswers::accepted);
        }
        return accepted.flatMap(done -> awaitOutcome(done, wait));
    }

    /**
     * {@code Prefer: wait}: 200 with the task's view once it is terminal within the wait, else the usual 202. The task
     * is accepted whatever happens here: a state store that fails while we wait still gets the 202, never an error
     * that would make the client submit again.
     */
    private Uni<Response> awaitOutcome(TaskAccepted accepted, Duration wait) {
        String applied = PreferWait.applied(wait);
        return longPoll.read(accepted.id(), wait)
                .onFailure()
                .recoverWithNull()
                .map(view -> (view != null && view.status().terminal()
                                ? Response.ok(view).header(HttpHeaders.LOCATION, "/api/v1/tasks/" + accepted.id())
                                : Response.fromResponse(TaskAnswers.accepted(accepted, stillRunning(accepted, view))))
                        .header(PreferWait.PREFERENCE_APPLIED, applied)
                        .build());
    }

    /** The 202 body after a wait: as accepted, with the status the task has now (RUNNING, a retry, ...). */
    private static TaskAccepted stillRunning(TaskAccepted accepted, TaskView view) {
        return view == null
                ? accepted
                : new TaskAccepted(accepted.id(), accepted.type(), view.status(), accepted.createdAt());
    }

    /** The task's view; with {@code ?wait=PT10S}, answers when it reaches a terminal state or the wait ends. */
    @GET
    @Path("{id}")
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "getTask",
            summary = "Read a task",
            description = "With ?wait=PT10S, answers as soon as the task is terminal, or when the wait ends.")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "Unknown task, or another client's")
    public Uni<Response> get(
            @PathParam("id") String id,
            @QueryParam("wait")
                    @WaitDuration
                    @Parameter(
                            description = "ISO-8601 duration to wait for a terminal state (PT0S to the gateway's "
                                    + "maximum, 60 s by default)",
                            schema = @Schema(type = SchemaType.STRING, format = "duration"))
                    String wait) {
        Duration timeout = WaitDuration.Validator.parse(wait);
        Caller caller = Caller.of(identity);
        if (timeout.isZero()) {
            return store.get(id).map(view -> found(id, view, caller));
        }
        if (caller.seesAll()) {
            return longPoll.read(id, timeout).map(view -> found(id, view, caller));
        }
        // Another client's task is answered at once, as an unknown one is: waiting would tell when it finishes.
        return store.get(id)
                .flatMap(view -> caller.mayRead(view)
                        ? longPoll.read(id, timeout).map(later -> found(id, later, caller))
                        : Uni.createFrom().item(TaskAnswers.notFound(id)));
    }

    @GET
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "listTasks",
            summary = "List tasks, newest first",
            description = "A producer sees its own tasks, a reader all. Page with the `nextCursor` of the previous "
                    + "page.")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskPage.class)))
    public Uni<TaskPage> list(
            @QueryParam("status") @KnownStatus String status,
            @QueryParam("type") @KnownTaskType String type,
            @QueryParam("limit")
                    @DefaultValue("20")
                    @Range(min = 1, max = MAX_LIMIT)
                    // Range reads "must be between 1 and N"; the document takes its bounds from here.
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"))
                    int limit,
            @QueryParam("cursor") String cursor) {
        TaskPage.Cursor after = null;
        if (cursor != null) {
            after = TaskPage.Cursor.decode(cursor);
            if (after == null) {
                throw ProblemException.invalid(
                        "cursor is not one this API returned", List.of(new Problem.FieldError("cursor", "invalid")));
            }
        }
        Caller caller = Caller.of(identity);
        return store.list(
                caller.seesAll() ? null : caller.client(), KnownStatus.Validator.parse(status), type, limit, after);
    }

    /** Cancels a task that has not started: 200 CANCELLED; 409 once it runs or ran; 404 unknown. */
    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.PRODUCER, Roles.OPERATOR})
    @Operation(
            operationId = "cancelTask",
            summary = "Cancel a task that has not started (a producer only its own, an operator any)")
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "409", description = "Running or finished: only QUEUED or RETRY_SCHEDULED cancel")
    public Uni<Response> cancel(@PathParam("id") String id) {
        Caller caller = Caller.of(identity);
        if (caller.cancelsAll()) {
            return cancelOwned(id);
        }
        // A client's ownership never changes, so checking it before the cancel script is not a race.
        return store.get(id)
                .flatMap(view -> caller.mayCancel(view)
                        ? cancelOwned(id)
                        : Uni.createFrom().item(TaskAnswers.notFound(id)));
    }

    private Uni<Response> cancelOwned(String id) {
        return store.cancel(id).flatMap(answer -> switch (answer.get(0)) {
            case "ok" -> {
                // The batch's last task ended here: publish its onComplete task (README, "Batches").
                batches.completeInBackground(answer.get(2));
                // Its signed webhook, if it has a callback URL (README, "Webhooks").
                yield store.get(id)
                        .call(cancelWebhooks::cancelled)
                        .map(view -> Response.ok(view).build());
            }
            case "missing" -> Uni.createFrom().item(TaskAnswers.notFound(id));
            default ->
                Uni.createFrom()
                        .item(ProblemMappers.respond(
                                Problem.of(
                                        "not-cancellable",
                                        "Conflict",
                                        409,
                                        "Task " + id + " is " + answer.get(1)
                                                + "; only QUEUED or RETRY_SCHEDULED tasks can be cancelled"),
                                null));
        });
    }

    private static Response found(String id, TaskView view, Caller caller) {
        return caller.mayRead(view) ? Response.ok(view).build() : TaskAnswers.notFound(id);
    }
}
