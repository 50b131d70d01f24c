package io.conveyor.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.PathPart;

import io.conveyor.artifact.ArtifactNames;
import io.conveyor.artifact.ArtifactStore;
import io.conveyor.artifact.StoredArtifact;
import io.conveyor.gateway.security.Caller;
import io.conveyor.gateway.security.Roles;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.state.TaskRecords;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * {@code /api/v1/tasks/{id}/artifact}: the file a task's result names ({@code result.artifact}), from the
 * {@link ArtifactStore}. Who may read the task may download it (a producer its own tasks', a reader or operator
 * any); another client's task is answered 404 exactly like an unknown id. Single byte ranges (206, 416) and
 * {@code If-None-Match} (304) are answered; a local file is sent by the HTTP server (sendfile), never through the
 * heap, and the store is only touched on a worker thread.
 */
@Path("/api/v1/tasks/{id}/artifact")
public class ArtifactResource {

    private static final Logger LOG = Logger.getLogger(ArtifactResource.class);

    static final String RANGE = "Range";
    static final String IF_RANGE = "If-Range";
    static final String CONTENT_RANGE = "Content-Range";
    static final String ACCEPT_RANGES = "Accept-Ranges";

    private final TaskStore store;
    private final ArtifactStore artifacts;
    private final SecurityIdentity identity;

    public ArtifactResource(TaskStore store, ArtifactStore artifacts, SecurityIdentity identity) {
        this.store = store;
        this.artifacts = artifacts;
        this.identity = identity;
    }

    /** The request's conditional and range headers. */
    record Conditions(String range, String ifNoneMatch, String ifRange) {}

    @GET
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "downloadArtifact",
            summary = "Download a task's artifact",
            description = "The file its result names (resize_image, generate_report), once it has succeeded. "
                    + "Supports one byte range (Range: bytes=a-b, a-, -n) and If-None-Match.")
    @APIResponse(
            responseCode = "200",
            description = "The file, with Content-Type, Content-Length, ETag, Last-Modified, Content-Disposition",
            content = {
                @Content(mediaType = "image/png"),
                @Content(mediaType = "image/jpeg"),
                @Content(mediaType = "text/csv"),
                @Content(mediaType = "application/octet-stream")
            })
    @APIResponse(responseCode = "206", description = "The range asked for, with Content-Range")
    @APIResponse(responseCode = "304", description = "If-None-Match matched the ETag")
    @APIResponse(
            responseCode = "404",
            description = "Unknown task (task-not-found), no artifact yet or none for its type (artifact-not-found), "
                    + "or the file is no longer stored (artifact-gone); problem+json")
    @APIResponse(responseCode = "416", description = "The range starts past the end; Content-Range: bytes */size")
    public Uni<Response> download(
            @PathParam("id") String id,
            @HeaderParam(RANGE) String range,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(IF_RANGE) String ifRange) {
        return answer(id, new Conditions(range, ifNoneMatch, ifRange), true);
    }

    /** The headers a GET would answer, without the body. */
    @HEAD
    @RolesAllowed({Roles.PRODUCER, Roles.READER})
    @Operation(
            operationId = "artifactHeaders",
            summary = "A task's artifact's headers (size, type, ETag) without the file")
    @APIResponse(responseCode = "200", description = "The headers a GET would answer")
    @APIResponse(responseCode = "404", description = "No artifact (yet)")
    public Uni<Response> head(
            @PathParam("id") String id,
            @HeaderParam(RANGE) String range,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(IF_RANGE) String ifRange) {
        return answer(id, new Conditions(range, ifNoneMatch, ifRange), false);
    }

    private Uni<Response> answer(String id, Conditions conditions, boolean withBody) {
        Caller caller = Caller.of(identity);
        return store.get(id).flatMap(view -> {
            if (!caller.mayRead(view)) {
                return Uni.createFrom().item(TaskAnswers.notFound(id));
            }
            String name = TaskRecords.artifactName(view.result());
            if (name == null) {
                return Uni.createFrom().item(noArtifact(view));
            }
            if (!ArtifactNames.isPlain(name)) {
                LOG.warnf(
                        "Task %s names the artifact '%s', which is not a plain file name: not served",
                        id, name.replaceAll("\\p{Cntrl}", "?"));
                return Uni.createFrom()
                        .item(artifactNotFound("Task " + id
                                + "'s result names no artifact that can be served (not a plain file " + "name)"));
            }
            // The store blocks (file system, later an object store): never on the event loop.
            return Uni.createFrom()
                    .item(() -> serve(view, name, conditions, withBody))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    private Response serve(TaskView view, String name, Conditions conditions, boolean withBody) {
        Optional<StoredArtifact> found;
        try {
            found = artifacts.find(name);
        } catch (IOException e) {
            LOG.warnf("Could not read artifact %s of task %s: %s", name, view.id(), e);
            return ProblemMappers.respond(
                    Problem.of(
                            "artifact-store-unavailable",
                            "Service Unavailable",
                            503,
                            "The artifact store could not be read; retry later"),
                    5L);
        }
        if (found.isEmpty()) {
            return gone(view, name);
        }
        StoredArtifact artifact = found.get();
        String etag = ArtifactHeaders.etag(view.result(), artifact);
        Instant modified = artifact.lastModified().truncatedTo(ChronoUnit.SECONDS);
        long size = artifact.size();
        if (conditions.ifNoneMatch() != null && ArtifactHeaders.matchesAny(conditions.ifNoneMatch(), etag)) {
            return validators(Response.notModified(), etag, modified).build();
        }
        ByteRanges range = ArtifactHeaders.ifRangeHolds(conditions.ifRange(), etag, modified)
                ? ByteRanges.of(conditions.range(), size)
                : new ByteRanges.Whole();
        if (range instanceof ByteRanges.Unsatisfiable) {
            return Response.fromResponse(ProblemMappers.respond(
                            Problem.of(
                                    "range-not-satisfiable",
                                    "Range Not Satisfiable",
                                    416,
                                    "The artifact has " + size + " bytes; the range " + conditions.range()
                                            + " asks for none of them"),
                            null))
                    .header(CONTENT_RANGE, "bytes */" + size)
                    .header(ACCEPT_RANGES, "bytes")
                    .build();
        }
        long offset = 0;
        long length = size;
        Response.ResponseBuilder builder = Response.ok();
        if (range instanceof ByteRanges.Part part) {
            offset = part.first();
            length = part.length();
            builder = Response.status(206).header(CONTENT_RANGE, part.contentRange(size));
        }
        validators(builder, etag, modified)
                .type(ArtifactHeaders.contentType(name))
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header(HttpHeaders.CONTENT_DISPOSITION, ArtifactHeaders.contentDisposition(name))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", ArtifactHeaders.SANDBOX_POLICY);
        if (withBody && length > 0) {
            try {
                builder.entity(body(artifact, offset, length));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                // Removed or replaced by a shorter file since it was found: PathPart checks both.
                return gone(view, name);
            }
        }
        return builder.build();
    }

    private static Response gone(TaskView view, String name) {
        return ProblemMappers.respond(
                Problem.of(
                        "artifact-gone",
                        "Not Found",
                        404,
                        "Task " + view.id() + "'s artifact " + name
                                + " is no longer stored (it was removed from the artifact store)"),
                null);
    }

    /** The headers every answer about the file carries, 304 included. */
    private static Response.ResponseBuilder validators(
            Response.ResponseBuilder builder, String etag, Instant modified) {
        return builder.header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.LAST_MODIFIED, ArtifactHeaders.httpDate(modified))
                .header(ACCEPT_RANGES, "bytes")
                // A producer's file: a shared cache must not keep it.
                .header(HttpHeaders.CACHE_CONTROL, "private");
    }

    /**
     * A local file is sent by the HTTP server from the file (sendfile); an artifact elsewhere is streamed from the
     * store on the worker thread that writes the answer.
     */
    static Object body(StoredArtifact artifact, long offset, long length) {
        return artifact.localFile()
                .<Object>map(file -> new PathPart(file, offset, length))
                .orElseGet(() -> (StreamingOutput) out -> {
                    try (InputStream in = artifact.open(offset, length)) {
                        in.transferTo(out);
                    }
                });
    }

    private static Response noArtifact(TaskView view) {
        String detail = view.status() == TaskStatus.SUCCEEDED
                ? "Task " + view.id() + " succeeded without an artifact: its type, " + view.type() + ", makes none"
                : "Task " + view.id() + " is " + view.status() + ": it has no artifact until it has SUCCEEDED";
        return artifactNotFound(detail);
    }

    private static Response artifactNotFound(String detail) {
        return ProblemMappers.respond(Problem.of("artifact-not-found", "Not Found", 404, detail), null);
    }
}
