package io.conveyor.gateway.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.TaskError;
import io.conveyor.model.TaskView;
import io.conveyor.model.state.TaskRecords;

/**
 * What the operator console shows of one task, read from its record and its failures list.
 *
 * @param view         the task's API view
 * @param payload      the payload as submitted; null when it was too large to keep (see {@code payloadBytes}) or the
 *                     record was written without it (by a worker, or before records kept it)
 * @param payloadBytes the size of a payload too large to keep ({@link TaskRecords#MAX_KEPT_PAYLOAD_BYTES}); else null
 * @param options      the options as submitted; null when not recorded
 * @param worker       the worker that ran (or runs) the latest attempt; null before the first, or when not recorded
 * @param startedAt    when the latest attempt started; null before the first
 * @param failures     every failed attempt, oldest first
 */
public record TaskDetail(
        TaskView view,
        JsonNode payload,
        Long payloadBytes,
        JsonNode options,
        String worker,
        Instant startedAt,
        List<TaskError> failures) {

    /** The detail of a stored task; null for an empty hash (unknown or expired), as {@link TaskRecords#view}. */
    static TaskDetail of(Map<String, String> hash, List<TaskError> failures, Instant now) {
        TaskView view = TaskRecords.view(hash, now);
        if (view == null) {
            return null;
        }
        String bytes = hash.get("payloadBytes");
        String worker = hash.get("worker");
        return new TaskDetail(
                view,
                TaskRecords.json(hash.get("payload")),
                bytes == null || bytes.isEmpty() ? null : Long.valueOf(bytes),
                TaskRecords.json(hash.get("options")),
                worker == null || worker.isEmpty() ? null : worker,
                TaskRecords.instant(hash.get("startedAt")),
                failures);
    }
}
