package io.conveyor.model.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;

/**
 * One call of the transition script: the new state and what changes with it. Built fluently, turned into the
 * script's arguments by {@link #arguments()}. Pure.
 */
public final class Transition {

    private final TaskStatus to;
    private final Instant at;
    private Integer attempts;
    private String resultJson = "";
    private String errorJson = "";
    private String nextAttemptAt = "";
    private long expireSeconds;
    private TaskEnvelope createFrom;
    private String worker = "";

    private Transition(TaskStatus to, Instant at) {
        this.to = to;
        this.at = at;
        // A task that may still run must not vanish; a terminal one expires by retention (set by the caller).
        this.expireSeconds = to.terminal() ? 0 : -1;
    }

    public static Transition to(TaskStatus status, Instant at) {
        return new Transition(status, at);
    }

    public Transition attempts(int value) {
        this.attempts = value;
        return this;
    }

    public Transition result(Object value) {
        this.resultJson = TaskRecords.toJson(value);
        return this;
    }

    public Transition error(TaskError error) {
        this.errorJson = TaskRecords.toJson(error);
        return this;
    }

    public Transition nextAttemptAt(Instant when) {
        this.nextAttemptAt = when == null ? "-" : String.valueOf(when.toEpochMilli());
        return this;
    }

    public Transition expireAfter(Duration retention) {
        this.expireSeconds = Math.max(1, retention.toSeconds());
        return this;
    }

    /** If the store has no record (written before Redis came back, or expired), create it from the envelope. */
    public Transition createIfMissing(TaskEnvelope envelope) {
        this.createFrom = envelope;
        return this;
    }

    /** For a move to RUNNING: the worker that runs the attempt, recorded with the attempt's start (this move's time). */
    public Transition runBy(String workerName) {
        this.worker = workerName == null ? "" : workerName;
        return this;
    }

    public TaskStatus status() {
        return to;
    }

    /** ARGV of transition.lua, in its order. */
    public List<String> arguments() {
        String allowed = to.allowedFrom().stream().map(Enum::name).collect(Collectors.joining(",", ",", ","));
        return List.of(
                to.name(),
                allowed,
                String.valueOf(at.toEpochMilli()),
                attempts == null ? "" : String.valueOf(attempts),
                resultJson,
                errorJson,
                nextAttemptAt,
                String.valueOf(expireSeconds),
                to.terminal() ? "1" : "0",
                createFrom == null ? "" : createFrom.type(),
                createFrom == null ? "" : String.valueOf(createFrom.maxAttempts()),
                createFrom == null ? "" : String.valueOf(createFrom.createdAt().toEpochMilli()),
                createFrom == null ? "" : createFrom.id(),
                createFrom == null || createFrom.client() == null ? "" : createFrom.client(),
                worker);
    }
}
