package io.conveyor.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.conveyor.client.ReplayedDeadLetters;
import io.conveyor.client.TaskPage;
import io.conveyor.client.TaskTypeInfo;
import io.conveyor.model.BatchAccepted;
import io.conveyor.model.BatchView;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.Json;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;

/** Prints results on standard output, as {@link Output#TABLE} for people or {@link Output#JSON} for scripts. */
final class Printer {

    /**
     * The API's JSON: common-model's dialect (ISO-8601 instants and durations), with empty fields written as null as
     * the gateway writes them.
     */
    static final ObjectMapper JSON = ((JsonMapper) Json.mapper())
            .rebuild()
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final PrintWriter out;
    private final Output output;

    Printer(PrintWriter out, Output output) {
        this.out = out;
        this.output = output;
    }

    boolean json() {
        return output == Output.JSON;
    }

    void accepted(TaskAccepted accepted) {
        if (json()) {
            printJson(accepted);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", accepted.id());
        fields.put("type", accepted.type());
        fields.put("status", accepted.status());
        fields.put("created", time(accepted.createdAt()));
        keyValues(fields);
    }

    void view(TaskView view) {
        if (json()) {
            printJson(view);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", view.id());
        fields.put("type", view.type());
        fields.put("status", view.status());
        fields.put("attempts", view.attempts() + "/" + view.maxAttempts());
        fields.put("created", time(view.createdAt()));
        fields.put("updated", time(view.updatedAt()));
        fields.put("next attempt", time(view.nextAttemptAt()));
        fields.put("progress", progress(view.progress()));
        fields.put("client", view.client());
        fields.put("result", view.result() == null || view.result().isNull() ? null : compact(view.result()));
        fields.put("error", error(view.lastError()));
        fields.put("artifact", view.artifactUrl());
        keyValues(fields);
    }

    void batchAccepted(BatchAccepted accepted) {
        if (json()) {
            printJson(accepted);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", accepted.id());
        fields.put("size", accepted.size());
        keyValues(fields);
    }

    void batch(BatchView view) {
        if (json()) {
            printJson(view);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", view.id());
        fields.put("size", view.size());
        fields.put("done", view.done() ? "yes" : "no, " + view.remaining() + " remaining");
        fields.put("counts", counts(view.counts()));
        fields.put("created", time(view.createdAt()));
        fields.put("client", view.client());
        fields.put(
                "on complete",
                view.onCompleteTaskId() == null
                        ? null
                        : view.onCompleteTaskId()
                                + (view.onCompletePublished() ? " (submitted)" : " (not yet submitted)"));
        keyValues(fields);
    }

    /**
     * Counts by status, {@code SUCCEEDED 98  DEAD 2}: the statuses in their lifecycle's order, any other (such as
     * {@code EXPIRED}) after them; none at zero.
     */
    static String counts(Map<String, Integer> counts) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            Integer count = counts.get(status.name());
            if (count != null) {
                ordered.put(status.name(), count);
            }
        }
        counts.entrySet().stream()
                .filter(count -> !ordered.containsKey(count.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(count -> ordered.put(count.getKey(), count.getValue()));
        StringBuilder text = new StringBuilder();
        ordered.forEach((status, count) -> {
            if (count != null && count > 0) {
                text.append(text.isEmpty() ? "" : "  ")
                        .append(status)
                        .append(' ')
                        .append(count);
            }
        });
        return text.toString();
    }

    void page(TaskPage page) {
        if (json()) {
            printJson(page);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (TaskView view : page.items()) {
            rows.add(List.of(
                    view.id(),
                    view.type(),
                    String.valueOf(view.status()),
                    view.attempts() + "/" + view.maxAttempts(),
                    text(time(view.createdAt())),
                    text(time(view.updatedAt()))));
        }
        table(List.of("ID", "TYPE", "STATUS", "ATTEMPTS", "CREATED", "UPDATED"), rows);
    }

    void deadLetters(List<DeadLetter> deadLetters) {
        if (json()) {
            printJson(deadLetters);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (DeadLetter dead : deadLetters) {
            rows.add(List.of(
                    dead.id(),
                    text(dead.type()),
                    text(dead.reason()),
                    String.valueOf(dead.attempts()),
                    text(dead.failedAt()),
                    String.valueOf(dead.status()),
                    text(dead.errorClass()) + (dead.errorMessage() == null ? "" : ": " + dead.errorMessage())));
        }
        table(List.of("ID", "TYPE", "REASON", "ATTEMPTS", "FAILED AT", "STATUS", "ERROR"), rows);
    }

    void replayed(String id) {
        if (json()) {
            printJson(Map.of("id", id, "status", "QUEUED"));
        } else {
            out.println(id + " replayed: QUEUED");
        }
    }

    void replayed(ReplayedDeadLetters replayed) {
        if (json()) {
            printJson(replayed);
            return;
        }
        out.println("replayed: " + replayed.replayed());
        if (!replayed.unroutable().isEmpty()) {
            out.println("left dead (cannot run; discard them or declare their queue): "
                    + String.join(" ", replayed.unroutable()));
        }
    }

    void discarded(String id) {
        if (json()) {
            printJson(Map.of("id", id, "discarded", true));
        } else {
            out.println(id + " discarded");
        }
    }

    void types(List<TaskTypeInfo> types) {
        if (json()) {
            printJson(types);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (TaskTypeInfo type : types) {
            rows.add(List.of(
                    type.name(),
                    text(type.queue()),
                    type.defaults() == null
                            ? ""
                            : String.valueOf(type.defaults().maxAttempts()),
                    type.defaults() == null || type.defaults().timeout() == null
                            ? ""
                            : type.defaults().timeout().toString(),
                    text(type.description())));
        }
        table(List.of("TYPE", "QUEUE", "MAX ATTEMPTS", "TIMEOUT", "DESCRIPTION"), rows);
    }

    /** A value as the API's JSON. */
    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void printJson(Object value) {
        out.println(toJson(value));
    }

    private void keyValues(Map<String, Object> fields) {
        int width = fields.entrySet().stream()
                .filter(field -> field.getValue() != null)
                .mapToInt(field -> field.getKey().length())
                .max()
                .orElse(0);
        fields.forEach((name, value) -> {
            if (value != null) {
                out.println(pad(name + ":", width + 2) + value);
            }
        });
    }

    private void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(headers, widths));
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            // The last column is not padded: no trailing blanks.
            line.append(i == cells.size() - 1 ? cells.get(i) : pad(cells.get(i), widths[i] + 2));
        }
        return line.toString().stripTrailing();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String compact(JsonNode node) {
        return node.toString();
    }

    /** {@code 3/10 (30%) slept 3 of 10 s}; without a known total {@code 3 done}; null without a report. */
    static String progress(TaskProgress progress) {
        if (progress == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        if (progress.total() == null) {
            text.append(progress.done()).append(" done");
        } else {
            text.append(progress.done())
                    .append('/')
                    .append(progress.total())
                    .append(" (")
                    .append(Math.round(Progress.percent(progress).orElse(0)))
                    .append("%)");
        }
        if (progress.message() != null) {
            text.append(' ').append(progress.message());
        }
        return text.toString();
    }

    private static String error(TaskError error) {
        if (error == null) {
            return null;
        }
        return error.type() + ": " + error.message() + " (attempt " + error.attempt()
                + (error.worker() == null ? "" : ", worker " + error.worker()) + ")";
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
