package io.conveyor.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.client.BatchTask;
import io.conveyor.client.SubmitOptions;
import io.conveyor.model.Json;

import picocli.CommandLine;

/**
 * The tasks of {@code conveyor batch submit}: JSON Lines, one task a line, {@code {"type":..., "payload":{...},
 * "options":{...}}}; blank lines are skipped. Checked here only as far as the request needs (the shape, the type, the
 * options' kinds); the gateway checks the rest and names a bad task by its index, which {@link #lineOf} turns back
 * into its line.
 */
final class BatchLines {

    private static final Set<String> TASK_FIELDS = Set.of("type", "payload", "options");
    private static final Set<String> OPTION_FIELDS = Set.of("maxAttempts", "delay", "priority", "callbackUrl");

    /** The tasks, and the line (counted from 1) each came from. */
    record Parsed(List<BatchTask> tasks, List<Integer> lines) {

        /** The line of the task at {@code index}; null for an index that is no task's (the onComplete task: -1). */
        Integer lineOf(Integer index) {
            return index == null || index < 0 || index >= lines.size() ? null : lines.get(index);
        }
    }

    private BatchLines() {}

    /**
     * Parses the lines; all or nothing.
     *
     * @param source how messages name the input (a file name, standard input)
     * @throws UsageException naming the first bad line, or saying that there is no task at all
     */
    static Parsed parse(String text, String source) {
        List<BatchTask> tasks = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\r?\n", -1)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                tasks.add(task(line));
            } catch (IllegalArgumentException e) {
                throw new UsageException(source + ", line " + number + ": " + e.getMessage());
            }
            lines.add(number);
        }
        if (tasks.isEmpty()) {
            throw new UsageException(
                    source + " holds no task: give one JSON object a line, such as {\"type\":\"noop\"}");
        }
        return new Parsed(List.copyOf(tasks), List.copyOf(lines));
    }

    /**
     * One task as JSON text: a line of the file, or {@code --on-complete}'s argument.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static BatchTask task(String json) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        return task(node);
    }

    /**
     * One task as a JSON value.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static BatchTask task(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a task is a JSON object such as {\"type\":\"noop\",\"payload\":{}}");
        }
        unknown(node, TASK_FIELDS, "", "a task has type, payload and options");
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw new IllegalArgumentException("type is required: the task type's name, a string");
        }
        JsonNode payload = node.get("payload");
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        return BatchTask.of(
                type.asText(), payload == null || payload.isNull() ? null : payload, options(node.get("options")));
    }

    private static SubmitOptions options(JsonNode options) {
        SubmitOptions chosen = SubmitOptions.defaults();
        if (options == null || options.isNull()) {
            return chosen;
        }
        if (!options.isObject()) {
            throw new IllegalArgumentException("options must be a JSON object");
        }
        if (options.has("idempotencyKey")) {
            throw new IllegalArgumentException(
                    "options.idempotencyKey is not allowed in a batch; give the batch's key with --key");
        }
        unknown(options, OPTION_FIELDS, "options.", "options are maxAttempts, delay, priority and callbackUrl");
        JsonNode maxAttempts = options.get("maxAttempts");
        if (maxAttempts != null && !maxAttempts.isNull()) {
            chosen = chosen.withMaxAttempts(integer(maxAttempts, "options.maxAttempts"));
        }
        JsonNode priority = options.get("priority");
        if (priority != null && !priority.isNull()) {
            chosen = chosen.withPriority(integer(priority, "options.priority"));
        }
        JsonNode callbackUrl = options.get("callbackUrl");
        if (callbackUrl != null && !callbackUrl.isNull()) {
            if (!callbackUrl.isTextual()) {
                throw new IllegalArgumentException("options.callbackUrl must be a string (an https URL)");
            }
            chosen = chosen.withCallbackUrl(callbackUrl.asText());
        }
        JsonNode delay = options.get("delay");
        if (delay != null && !delay.isNull()) {
            if (!delay.isTextual()) {
                throw new IllegalArgumentException("options.delay must be a duration such as \"PT30S\" or \"30s\"");
            }
            Duration parsed;
            try {
                parsed = Durations.parse(delay.asText());
            } catch (CommandLine.TypeConversionException e) {
                throw new IllegalArgumentException("options.delay: " + e.getMessage());
            }
            chosen = chosen.withDelay(parsed);
        }
        return chosen;
    }

    private static int integer(JsonNode value, String name) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
        return value.intValue();
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, String hint) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown field " + prefix + name + "; " + hint);
            }
        }
    }
}
