package io.conveyor.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.gateway.publish.BatchCompletion;
import io.conveyor.gateway.rest.ArtifactResource;
import io.conveyor.gateway.state.TaskDetail;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.gateway.webhook.CancelWebhooks;
import io.conveyor.model.Json;
import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * One task: its payload and options, its timeline, result and artifact, a live progress bar, and cancel for an
 * operator while it has not started. {@code ?live=true} answers only the part that changes while it runs.
 */
@Path("/console/tasks/{id}")
public class ConsoleTask {

    private final ConsolePages pages;
    private final TaskStore store;
    private final ArtifactResource artifacts;
    private final BatchCompletion batches;
    private final SecurityIdentity identity;
    private final CancelWebhooks cancelWebhooks;

    public ConsoleTask(
            ConsolePages pages,
            TaskStore store,
            ArtifactResource artifacts,
            BatchCompletion batches,
            SecurityIdentity identity,
            CancelWebhooks cancelWebhooks) {
        this.cancelWebhooks = cancelWebhooks;
        this.pages = pages;
        this.batches = batches;
        this.store = store;
        this.artifacts = artifacts;
        this.identity = identity;
    }

    /** The progress bar's figures: {@code max} null for a bar without a known end. */
    public record Bar(long value, Long max, String text) {}

    @GET
    public Response show(
            @PathParam("id") String id,
            @QueryParam("live") boolean live,
            @QueryParam("done") String done,
            @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/tasks/" + id);
        if (refused != null) {
            return refused;
        }
        TaskDetail detail = store.detail(id).await().atMost(ConsoleResource.WAIT);
        if (detail == null) {
            return Html.page(
                    404,
                    pages.render(
                            "denied",
                            ConsolePages.data(viewer, "tasks", "No such task", null)
                                    .with(
                                            "why",
                                            "No task " + id + ": never accepted, or its record has expired "
                                                    + "(finished tasks are kept for the retention period).")));
        }
        TaskView view = detail.view();
        Instant now = Instant.now();
        ConsolePages.Data data = ConsolePages.data(
                        viewer, "tasks", "Task " + id, "cancelled".equals(done) ? "Cancelled." : null)
                .with("task", view)
                .with("createdAt", Format.time(view.createdAt()))
                .with("updatedAt", Format.time(view.updatedAt()))
                .with("terminal", view.status().terminal())
                .with(
                        "cancellable",
                        viewer.operates()
                                && (view.status() == TaskStatus.QUEUED || view.status() == TaskStatus.RETRY_SCHEDULED))
                .with("timeline", Timeline.of(detail, now))
                .with("bar", bar(view.progress(), now))
                .with("payload", pretty(detail.payload()))
                .with("payloadBytes", detail.payloadBytes())
                .with("options", pretty(detail.options()))
                .with(
                        "traceId",
                        detail.options() != null && detail.options().hasNonNull("traceId")
                                ? detail.options().get("traceId").asText()
                                : null)
                .with("result", pretty(view.result()))
                .with("artifact", view.artifactUrl() != null);
        return Html.page(200, pages.render(live ? "task-live" : "task", data));
    }

    /** The artifact, as the API serves it, for a viewer signed in to the console (the API takes no cookie). */
    @GET
    @Path("artifact")
    public Uni<Response> artifact(
            @PathParam("id") String id,
            @HeaderParam("Range") String range,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("If-Range") String ifRange,
            @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/tasks/" + id);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return artifacts.download(id, range, ifNoneMatch, ifRange);
    }

    @POST
    @Path("cancel")
    public Response cancel(@PathParam("id") String id, @BeanParam ConsoleRequest request) {
        Response refused = request.actionRefusal(identity);
        if (refused != null) {
            return refused;
        }
        List<String> answer = store.cancel(id).await().atMost(ConsoleResource.WAIT);
        if (!"ok".equals(answer.get(0))) {
            return ConsoleActions.problem(
                    409,
                    "Task " + id + " is " + (answer.get(1).isEmpty() ? "unknown" : answer.get(1))
                            + ": only QUEUED or RETRY_SCHEDULED tasks can be cancelled.");
        }
        // The batch's last task ended here: publish its onComplete task, as the API's cancel does.
        batches.completeInBackground(answer.get(2));
        // Its signed webhook, as the API's cancel enqueues it (should this fail, a worker does).
        store.get(id).call(cancelWebhooks::cancelled).subscribe().with(view -> {}, e -> {});
        return Html.htmxRedirect("/console/tasks/" + id + "?done=cancelled");
    }

    private static Bar bar(TaskProgress progress, Instant now) {
        if (progress == null) {
            return null;
        }
        Long max = progress.total() != null && progress.total() > 0 ? progress.total() : null;
        String text = (max == null ? progress.done() + " done" : progress.done() + " of " + max)
                + (progress.message() == null ? "" : ": " + progress.message())
                + " (" + Format.duration(Duration.between(progress.updatedAt(), now)) + " ago)";
        return new Bar(max == null ? progress.done() : Math.min(progress.done(), max), max, text);
    }

    private static String pretty(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
