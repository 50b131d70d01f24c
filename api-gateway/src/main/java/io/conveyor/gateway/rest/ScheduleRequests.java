package io.conveyor.gateway.rest;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.gateway.publish.ValidatedTask;
import io.conveyor.gateway.schedule.Cron;
import io.conveyor.gateway.schedule.Missed;
import io.conveyor.gateway.schedule.ScheduleDefinition;
import io.conveyor.gateway.webhook.Callbacks;
import io.conveyor.model.Json;

/**
 * Reads a schedule's body, {@code {name, cron, zone, task, missed}}: the name (1-100 of {@code [A-Za-z0-9._-]}), the
 * cron expression ({@link Cron}), the zone (an IANA id, UTC by default), the missed policy ({@code skip} by default)
 * and the task, checked exactly as {@code POST /api/v1/tasks} checks one, without {@code idempotencyKey} or {@code
 * delay}. One 400 lists every bad field; nothing is saved.
 */
@ApplicationScoped
public class ScheduleRequests {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Set<String> FIELDS = Set.of("name", "cron", "zone", "task", "missed");

    private final TaskRequestReader reader;
    private final Callbacks callbacks;

    public ScheduleRequests(TaskRequestReader reader, Callbacks callbacks) {
        this.reader = reader;
        this.callbacks = callbacks;
    }

    /** A valid schedule: its name, definition and first tick. */
    public record Valid(String name, ScheduleDefinition definition, Instant nextFireAt) {}

    /**
     * Reads a body; {@code pathName} is the name in the URL of a PUT (null for a POST, where the body names it), and
     * {@code client} the caller (null without a key), whose webhook secret a task with a callback URL needs.
     */
    public Valid read(byte[] body, String pathName, String client) {
        JsonNode root = TaskRequestReader.object(body);
        List<Problem.FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                errors.add(new Problem.FieldError(
                        field, "unknown field; a schedule has name, cron, zone, task and missed"));
            }
        });
        String name = text(root, "name", errors);
        if (pathName != null) {
            if (name != null && !name.equals(pathName)) {
                errors.add(new Problem.FieldError("name", "differs from the name in the path, " + pathName));
            }
            name = pathName;
        }
        if (name == null) {
            if (pathName == null && !root.hasNonNull("name")) {
                errors.add(new Problem.FieldError("name", "is required"));
            }
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new Problem.FieldError("name", "must be 1 to 100 characters of A-Z, a-z, 0-9, '.', '_', '-'"));
        }
        String cronText = text(root, "cron", errors);
        Cron cron = null;
        if (cronText == null && !root.hasNonNull("cron")) {
            errors.add(new Problem.FieldError(
                    "cron",
                    "is required: five fields (minute hour day-of-month month day-of-week) or @every <duration>"));
        } else if (cronText != null) {
            try {
                cron = Cron.parse(cronText);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("cron", e.getMessage()));
            }
        }
        String zoneText = text(root, "zone", errors);
        ZoneId zone = null;
        try {
            zone = Cron.zone(zoneText);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("zone", e.getMessage()));
        }
        String missedText = text(root, "missed", errors);
        Missed missed = missedText == null ? Missed.SKIP : Missed.of(missedText);
        if (missed == null) {
            errors.add(new Problem.FieldError("missed", "must be skip or once"));
        }
        JsonNode task = task(root.get("task"), client, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Instant next = cron.next(Instant.now(), zone);
        if (next == null) {
            throw invalid(List.of(new Problem.FieldError("cron", "never fires: no date matches it")));
        }
        return new Valid(name, new ScheduleDefinition(cron.expression(), zone.getId(), missed, task), next);
    }

    /** The task as stored: type, the payload as bound (defaults filled in), the options as given. */
    private JsonNode task(JsonNode node, String client, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new Problem.FieldError("task", "is required: {type, payload, options}"));
            return null;
        }
        ValidatedTask valid;
        try {
            valid = reader.read(node);
        } catch (ProblemException e) {
            List<Problem.FieldError> fields = e.problem().errors();
            if (fields == null || fields.isEmpty()) {
                errors.add(new Problem.FieldError("task", e.problem().detail()));
            } else {
                for (Problem.FieldError field : fields) {
                    String path = field.field() == null || field.field().isEmpty() ? "task" : "task." + field.field();
                    errors.add(new Problem.FieldError(path, field.message()));
                }
            }
            return null;
        }
        String noSecret = valid.callbackUrl() == null ? null : callbacks.secretProblem(client);
        if (noSecret != null) {
            errors.add(new Problem.FieldError("task.options.callbackUrl", noSecret));
        }
        JsonNode options = node.get("options");
        if (options != null && options.hasNonNull("idempotencyKey")) {
            errors.add(new Problem.FieldError(
                    "task.options.idempotencyKey",
                    "is not allowed on a schedule: each tick fires its own task, exactly once"));
        }
        if (options != null && options.hasNonNull("delay")) {
            errors.add(new Problem.FieldError(
                    "task.options.delay", "is not allowed on a schedule: the cron expression says when it runs"));
        }
        ObjectNode stored = Json.mapper().createObjectNode();
        stored.put("type", valid.type().name());
        stored.set("payload", valid.payload());
        if (options != null && !options.isNull()) {
            stored.set("options", options);
        }
        return stored;
    }

    private static String text(JsonNode root, String field, List<Problem.FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new Problem.FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    private static ProblemException invalid(List<Problem.FieldError> errors) {
        return ProblemException.invalid("The schedule is invalid; nothing was saved", errors);
    }
}
