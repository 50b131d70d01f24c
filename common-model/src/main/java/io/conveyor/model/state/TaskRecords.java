package io.conveyor.model.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.artifact.ArtifactNames;
import io.conveyor.model.Json;
import io.conveyor.model.TaskCallback;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;
import io.conveyor.model.TaskWaiting;

/**
 * Maps a task's Redis hash to its API view and back for the JSON fields. Pure. A running attempt's progress is four
 * fields of the hash, written by progress.lua: {@code progressDone}, {@code progressTotal} ('' when unknown), {@code
 * progressMessage} ('' for none) and {@code progressAt} (millis; present whenever progress is). For the operator
 * console the hash also keeps the task's {@code payload} (JSON, or only its size {@code payloadBytes} when larger
 * than {@link #MAX_KEPT_PAYLOAD_BYTES}) and its {@code options} as submitted (JSON).
 */
public final class TaskRecords {

    /**
     * The largest payload, in bytes of its JSON, a record keeps: the broker carries the payload anyway, and the state
     * store holds every live task in memory, so a large one is recorded by its size only.
     */
    public static final int MAX_KEPT_PAYLOAD_BYTES = 16384;

    private TaskRecords() {}

    /**
     * ARGV of create.lua for one task, in its order ({@link Scripts#CREATE_ARGS} of them): the record QUEUED (not
     * before {@code notBefore} when delayed; null for now), in {@code batch} (null for none), with the payload (or
     * its size) and the options as submitted (null for none).
     */
    public static List<String> createArguments(
            TaskEnvelope task, Instant notBefore, KeptOptions options, String batch) {
        List<String> args = new ArrayList<>(Scripts.CREATE_ARGS);
        args.addAll(List.of(
                task.id(),
                task.type(),
                TaskStatus.QUEUED.name(),
                String.valueOf(task.maxAttempts()),
                String.valueOf(task.createdAt().toEpochMilli()),
                notBefore == null ? "" : String.valueOf(notBefore.toEpochMilli()),
                task.client() == null ? "" : task.client(),
                batch == null ? "" : batch));
        args.addAll(keptArguments(task, options));
        args.add(task.schedule() == null ? "" : task.schedule());
        args.add(task.callbackUrl() == null ? "" : task.callbackUrl());
        return args;
    }

    /**
     * What a record keeps for the operator console, as the last three arguments of create.lua (and of batch-create.lua
     * for the onComplete task): the payload JSON ('' when larger than {@link #MAX_KEPT_PAYLOAD_BYTES}, or none), its
     * size in bytes when not kept (else ''), and the options JSON ('' for none).
     */
    public static List<String> keptArguments(TaskEnvelope task, KeptOptions options) {
        String payload = task.payload() == null ? "" : toJson(task.payload());
        int payloadBytes = payload.getBytes(StandardCharsets.UTF_8).length;
        boolean kept = payloadBytes <= MAX_KEPT_PAYLOAD_BYTES;
        return List.of(
                kept ? payload : "", kept ? "" : String.valueOf(payloadBytes), options == null ? "" : toJson(options));
    }

    /**
     * The view of a stored task; {@code null} for an empty hash (unknown or expired). A retry whose wait is over
     * shows as QUEUED again: its message is back in the task queue.
     */
    public static TaskView view(Map<String, String> hash, Instant now) {
        if (hash == null || hash.isEmpty() || !hash.containsKey("status")) {
            return null;
        }
        TaskStatus status = TaskStatus.valueOf(hash.get("status"));
        Instant next = instant(hash.get("nextAttemptAt"));
        if (status == TaskStatus.RETRY_SCHEDULED && next != null && !next.isAfter(now)) {
            status = TaskStatus.QUEUED;
        }
        JsonNode result = json(hash.get("result"));
        return new TaskView(
                hash.get("id"),
                hash.get("type"),
                status,
                integer(hash.get("attempts")),
                integer(hash.get("maxAttempts")),
                result,
                error(hash.get("lastError")),
                instant(hash.get("createdAt")),
                instant(hash.get("updatedAt")),
                next,
                blankToNull(hash.get("client")),
                artifactUrl(hash.get("id"), result),
                blankToNull(hash.containsKey("batch") ? hash.get("batch") : hash.get("completes")),
                progress(hash),
                blankToNull(hash.get("schedule")),
                callback(hash),
                status == TaskStatus.QUEUED ? waiting(hash) : null);
    }

    /**
     * The callback of a task sent with {@code options.callbackUrl}, from the fields {@code callbackUrl},
     * {@code callbackStatus} (PENDING when absent), {@code callbackAttempts}, {@code callbackError} and
     * {@code callbackAt} (millis); null for a task without one.
     */
    static TaskCallback callback(Map<String, String> hash) {
        String url = blankToNull(hash.get("callbackUrl"));
        if (url == null) {
            return null;
        }
        String status = blankToNull(hash.get("callbackStatus"));
        try {
            return new TaskCallback(
                    url,
                    status == null ? TaskCallback.Status.PENDING : TaskCallback.Status.valueOf(status),
                    integer(hash.get("callbackAttempts")),
                    blankToNull(hash.get("callbackError")),
                    instant(hash.get("callbackAt")));
        } catch (IllegalArgumentException e) {
            return new TaskCallback(url, TaskCallback.Status.PENDING, 0, null, null);
        }
    }

    /**
     * Why a queued task waits although it is due, from the fields {@code waitReason}, {@code waitMessage} and
     * {@code waitUntil} (millis) that a worker writes when a limit sends the task back to wait; null when it does not.
     */
    static TaskWaiting waiting(Map<String, String> hash) {
        String reason = blankToNull(hash.get("waitReason"));
        if (reason == null) {
            return null;
        }
        try {
            return new TaskWaiting(reason, blankToNull(hash.get("waitMessage")), instant(hash.get("waitUntil")));
        } catch (NumberFormatException e) {
            return new TaskWaiting(reason, blankToNull(hash.get("waitMessage")), null);
        }
    }

    /** The progress the hash holds; null when none was reported (or the fields do not read). */
    static TaskProgress progress(Map<String, String> hash) {
        try {
            Instant at = instant(hash.get("progressAt"));
            if (at == null) {
                return null;
            }
            String total = blankToNull(hash.get("progressTotal"));
            return new TaskProgress(
                    Long.parseLong(hash.getOrDefault("progressDone", "0")),
                    total == null ? null : Long.valueOf(total),
                    blankToNull(hash.get("progressMessage")),
                    at);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * ARGV of progress.lua, in its order: the attempt that reports, then done (below 0 reads as 0), total ('' when
     * below 0: unknown), the message ('' for none; cut to {@link TaskProgress#MAX_MESSAGE} characters) and the time.
     */
    public static List<String> progressArguments(int attempt, long done, long total, String message, Instant at) {
        return List.of(
                String.valueOf(attempt),
                String.valueOf(Math.max(0, done)),
                total < 0 ? "" : String.valueOf(total),
                message == null ? "" : cut(message, TaskProgress.MAX_MESSAGE),
                String.valueOf(at.toEpochMilli()));
    }

    /** The text cut to at most {@code max} characters, never inside a surrogate pair. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    /** Where a task's artifact is downloaded: {@code GET /api/v1/tasks/{id}/artifact}. */
    public static String artifactPath(String id) {
        return "/api/v1/tasks/" + id + "/artifact";
    }

    /**
     * The name of the file a task's result names ({@code result.artifact}), or null when it names none. The name is
     * as stored: check it with {@link ArtifactNames#isPlain} before using it.
     */
    public static String artifactName(JsonNode result) {
        JsonNode artifact = result == null ? null : result.get("artifact");
        return artifact != null && artifact.isTextual() ? artifact.asText() : null;
    }

    /** The download link of a result that names a servable artifact; null otherwise. */
    private static String artifactUrl(String id, JsonNode result) {
        return id != null && ArtifactNames.isPlain(artifactName(result)) ? artifactPath(id) : null;
    }

    public static TaskError error(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, TaskError.class);
        } catch (IOException e) {
            return new TaskError("unknown", json, 0, null, null, null);
        }
    }

    public static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON field of the hash as a tree; null when absent, as text when it does not parse. */
    public static JsonNode json(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            return Json.mapper().getNodeFactory().textNode(text);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** A millis field of the hash as an instant; null when absent. */
    public static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static int integer(String text) {
        return text == null || text.isEmpty() ? 0 : Integer.parseInt(text);
    }
}
