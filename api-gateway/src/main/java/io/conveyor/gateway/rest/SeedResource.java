package io.conveyor.gateway.rest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.metrics.GatewayMetrics;
import io.conveyor.gateway.publish.TaskSubmission;
import io.conveyor.gateway.publish.ValidatedTask;
import io.conveyor.gateway.security.Caller;
import io.conveyor.gateway.security.Roles;
import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskStatus;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /async-task}: the seed document's request, {@code {"task_type":"send_email","task_param":"user@example.com"}},
 * accepted unchanged and sent as a {@code send_email} task to {@code task_param}. Honours {@code Idempotency-Key}
 * exactly as {@code POST /api/v1/tasks} does.
 */
@Path("/async-task")
public class SeedResource {

    /** The seed route's only task type. */
    static final String SEED_TYPE = "send_email";

    private final TaskRequestReader reader;
    private final TaskSubmission submission;
    private final GatewayConfig.Seed seed;
    private final GatewayMetrics metrics;
    private final SecurityIdentity identity;

    public SeedResource(
            TaskRequestReader reader,
            TaskSubmission submission,
            GatewayConfig config,
            GatewayMetrics metrics,
            SecurityIdentity identity) {
        this.metrics = metrics;
        this.identity = identity;
        this.reader = reader;
        this.submission = submission;
        this.seed = config.seed();
    }

    /** The 202 body: the usual task fields plus the seed's own {@code message}. */
    public record SeedAccepted(
            @NotNull String id,
            @NotNull String type,
            @NotNull TaskStatus status,
            @NotNull Instant createdAt,
            @NotNull String message) {}

    /** The seed's request, as its document sends it; read by hand in {@link #readSeed}, described here. */
    public record SeedRequest(
            @NotNull @Pattern(regexp = SEED_TYPE) String task_type,
            @NotNull @Email String task_param) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRODUCER)
    @Operation(
            operationId = "submitSeedTask",
            summary = "The seed request: send an email to task_param",
            description = "Kept unchanged for the document Conveyor grew from; POST /api/v1/tasks does the same "
                    + "with any type.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SeedRequest.class)))
    @APIResponse(
            responseCode = "202",
            description = "Accepted (the broker confirmed it); poll the Location",
            headers = @Header(name = "Location", description = "The task", schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SeedAccepted.class)))
    // A client that hangs up must not cancel an accept half way: the key would stay claimed and the record orphaned.
    @Cancellable(false)
    public Uni<Response> submit(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(TaskResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @HeaderParam(Headers.TRACEPARENT) String traceparent) {
        TaskAnswers.requireContentType(contentType, body);
        JsonNode root = readSeed(body);
        ObjectNode payload = Json.mapper()
                .createObjectNode()
                .put("to", root.get("task_param").asText())
                .put("subject", seed.subject())
                .put("body", seed.body());
        ValidatedTask task;
        try {
            task = reader.validate(
                            SEED_TYPE, payload, TaskOptions.NONE, idempotencyKey, Traceparents.current(traceparent))
                    .ownedBy(Caller.of(identity).client());
        } catch (ProblemException e) {
            metrics.rejected(SEED_TYPE, e.problem().slug());
            if (e.problem().errors().stream().noneMatch(f -> "payload.to".equals(f.field()))) {
                throw e;
            }
            // Only the recipient comes from the caller here: report it under the seed's own field name.
            throw ProblemException.invalid(
                    "task_param must be the recipient's email address",
                    e.problem().errors().stream()
                            .map(f -> new Problem.FieldError(
                                    "payload.to".equals(f.field()) ? "task_param" : f.field(), f.message()))
                            .toList());
        }
        return metrics.count(SEED_TYPE, submission.submit(task))
                .map(t -> TaskAnswers.accepted(
                        t, new SeedAccepted(t.id(), t.type(), t.status(), t.createdAt(), "Task started")));
    }

    private static JsonNode readSeed(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("malformed-json", "Malformed JSON", "The body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest(
                    "malformed-json",
                    "Malformed JSON",
                    "The body must be {\"task_type\": \"send_email\", \"task_param\": \"<recipient>\"}");
        }
        JsonNode type = root.get("task_type");
        if (type == null || !type.isTextual() || !SEED_TYPE.equals(type.asText())) {
            throw ProblemException.invalid(
                    "This route accepts task_type send_email; use POST /api/v1/tasks for other types",
                    List.of(new Problem.FieldError("task_type", "must be \"send_email\"")));
        }
        JsonNode param = root.get("task_param");
        if (param == null || !param.isTextual()) {
            throw ProblemException.invalid(
                    "task_param must be the recipient's email address",
                    List.of(new Problem.FieldError("task_param", "must be a string (the recipient's email address)")));
        }
        return root;
    }
}
