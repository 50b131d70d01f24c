package io.conveyor.gateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.gateway.state.IdempotencyKeys;
import io.conveyor.gateway.state.TaskPage;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The tasks page: filter by status, type and creation time, page through them newest first, or find one by id or
 * by idempotency key (with the client that used it, keys being per client).
 */
@Path("/console/tasks")
public class ConsoleTasks {

    static final int PAGE = 50;

    private final ConsolePages pages;
    private final TaskStore store;
    private final IdempotencyKeys keys;
    private final TaskCatalogue catalogue;
    private final SecurityIdentity identity;

    public ConsoleTasks(
            ConsolePages pages,
            TaskStore store,
            IdempotencyKeys keys,
            TaskCatalogue catalogue,
            SecurityIdentity identity) {
        this.pages = pages;
        this.store = store;
        this.keys = keys;
        this.catalogue = catalogue;
        this.identity = identity;
    }

    /** The filters as the form sent them; blank means none. */
    public record Filters(String status, String type, String after, String before, String find, String client) {}

    @GET
    public Response list(
            @QueryParam("status") String status,
            @QueryParam("type") String type,
            @QueryParam("after") String after,
            @QueryParam("before") String before,
            @QueryParam("find") String find,
            @QueryParam("client") String client,
            @QueryParam("cursor") String cursor,
            @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/tasks");
        if (refused != null) {
            return refused;
        }
        Filters filters =
                new Filters(blank(status), blank(type), blank(after), blank(before), blank(find), blank(client));
        List<String> problems = new ArrayList<>();
        if (filters.find() != null) {
            String id = findTask(filters.find(), filters.client());
            if (id != null) {
                return Html.seeOther("/console/tasks/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
            }
            problems.add("No task has the id or idempotency key '" + filters.find() + "'"
                    + (filters.client() == null ? " (a key sent with an API key needs its client)" : "")
                    + ".");
        }
        TaskStatus wanted = null;
        if (filters.status() != null) {
            wanted = Arrays.stream(TaskStatus.values())
                    .filter(s -> s.name().equals(filters.status()))
                    .findFirst()
                    .orElse(null);
            if (wanted == null) {
                problems.add("Unknown status '" + filters.status() + "'.");
            }
        }
        if (filters.type() != null && catalogue.find(filters.type()).isEmpty()) {
            problems.add("Unknown task type '" + filters.type() + "'.");
        }
        Instant from = time(filters.after(), "after", problems);
        Instant until = time(filters.before(), "before", problems);
        TaskPage.Cursor position = cursor == null ? null : TaskPage.Cursor.decode(cursor);
        if (position == null && until != null) {
            // Newest first from just before that time: a cursor that sorts after every id at that millisecond.
            position = new TaskPage.Cursor(until.toEpochMilli(), "");
        }
        List<TaskView> items = List.of();
        String next = null;
        if (problems.isEmpty()) {
            TaskPage page = store.list(null, wanted, filters.type(), PAGE, position)
                    .await()
                    .atMost(ConsoleResource.WAIT);
            items = page.items().stream()
                    .filter(v -> from == null || !v.createdAt().isBefore(from))
                    .toList();
            boolean pastStart = items.size() < page.items().size();
            next = pastStart ? null : page.nextCursor();
        }
        ConsolePages.Data data = ConsolePages.data(viewer, "tasks", "Tasks", null)
                .with("filters", filters)
                .with("problems", problems)
                .with(
                        "statuses",
                        Arrays.stream(TaskStatus.values()).map(Enum::name).toList())
                .with("types", catalogue.names().stream().sorted().toList())
                .with("tasks", TaskRow.of(items))
                .with("next", next == null ? null : nextLink(filters, next));
        return Html.page(problems.isEmpty() ? 200 : 400, pages.render("tasks", data));
    }

    /** The id of the task with this id, or with this idempotency key of {@code client} (null: sent without a key). */
    private String findTask(String find, String client) {
        if (store.get(find).await().atMost(ConsoleResource.WAIT) != null) {
            return find;
        }
        IdempotencyKeys.Claim claim = keys.peek(client, find).await().atMost(ConsoleResource.WAIT);
        if (claim == null || claim.body() == null) {
            return null;
        }
        try {
            JsonNode answer = Json.mapper().readTree(claim.body());
            return answer.hasNonNull("id") ? answer.get("id").asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A time from the form's {@code datetime-local} field, read as UTC; a problem when it does not read. */
    private static Instant time(String text, String field, List<String> problems) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.add("'" + field + "' must be a date and time such as 2026-12-03T06:40 (UTC).");
            return null;
        }
    }

    private static String nextLink(Filters f, String cursor) {
        StringBuilder link = new StringBuilder("/console/tasks?cursor=").append(encode(cursor));
        append(link, "status", f.status());
        append(link, "type", f.type());
        append(link, "after", f.after());
        return link.toString();
    }

    private static void append(StringBuilder link, String name, String value) {
        if (value != null) {
            link.append('&').append(name).append('=').append(encode(value));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
