package io.conveyor.gateway.console;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.ops.Operations;
import io.conveyor.gateway.ops.QueuesView;
import io.conveyor.gateway.schedule.ScheduleStore;
import io.conveyor.gateway.schedule.ScheduleView;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The console's live pages: the overview, the queues (pause and resume) and the workers. Each is a full page at its
 * own URL; with {@code ?live=true} (what the page itself polls every 2 s through htmx) only the part that changes.
 */
@Path("/console")
public class ConsoleResource {

    static final Duration WAIT = Duration.ofSeconds(5);

    private final ConsolePages pages;
    private final Operations operations;
    private final TaskCatalogue catalogue;
    private final SecurityIdentity identity;
    private final Duration latencyAlarm;
    private final ScheduleStore schedules;

    public ConsoleResource(
            ConsolePages pages,
            Operations operations,
            TaskCatalogue catalogue,
            SecurityIdentity identity,
            GatewayConfig config,
            ScheduleStore schedules) {
        this.schedules = schedules;
        this.pages = pages;
        this.operations = operations;
        this.catalogue = catalogue;
        this.identity = identity;
        this.latencyAlarm = config.console().latencyAlarm();
    }

    @GET
    public Response overview(@QueryParam("live") boolean live, @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console");
        if (refused != null) {
            return refused;
        }
        QueuesView queues = operations.queues().await().atMost(WAIT);
        ConsolePages.Data data = ConsolePages.data(viewer, "overview", "Overview", null)
                .with("rows", QueueRow.of(queues, latencyAlarm))
                .with("totals", QueueRow.totals(queues))
                .with("at", Format.time(queues.at()))
                .with("source", queues.source());
        return Html.page(200, pages.render(live ? "overview-live" : "overview", data));
    }

    @GET
    @Path("queues")
    public Response queues(
            @QueryParam("live") boolean live,
            @QueryParam("done") String done,
            @QueryParam("type") String type,
            @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/queues");
        if (refused != null) {
            return refused;
        }
        QueuesView queues = operations.queues().await().atMost(WAIT);
        String notice = done == null || type == null || catalogue.find(type).isEmpty()
                ? null
                : switch (done) {
                    case "paused" -> "Paused " + type + ": workers stop taking its tasks; new ones wait in its queue.";
                    case "resumed" -> "Resumed " + type + ": workers take its tasks again.";
                    default -> null;
                };
        ConsolePages.Data data = ConsolePages.data(viewer, "queues", "Queues", notice)
                .with("rows", QueueRow.of(queues, latencyAlarm))
                .with("at", Format.time(queues.at()));
        return Html.page(200, pages.render(live ? "queues-live" : "queues", data));
    }

    @GET
    @Path("workers")
    public Response workers(@QueryParam("live") boolean live, @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/workers");
        if (refused != null) {
            return refused;
        }
        List<WorkerHeartbeat> workers = operations.workers().await().atMost(WAIT);
        ConsolePages.Data data = ConsolePages.data(viewer, "workers", "Workers", null)
                .with("workers", WorkerRow.of(workers))
                .with(
                        "running",
                        workers.stream().mapToInt(WorkerHeartbeat::running).sum())
                .with(
                        "capacity",
                        workers.stream().mapToInt(WorkerHeartbeat::concurrency).sum());
        return Html.page(200, pages.render(live ? "workers-live" : "workers", data));
    }

    @GET
    @Path("schedules")
    public Response schedules(@BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/schedules");
        if (refused != null) {
            return refused;
        }
        List<ScheduleView> all = schedules.list(null, true).await().atMost(WAIT);
        ConsolePages.Data data =
                ConsolePages.data(viewer, "schedules", "Schedules", null).with("schedules", ScheduleRow.of(all));
        return Html.page(200, pages.render("schedules", data));
    }
}
