package io.conveyor.gateway.ops;

import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * One task type's queue as the operations API shows it. From the broker: {@code ready}, {@code unacknowledged} and
 * {@code consumers} ({@code -1} when unknown: unacknowledged over AMQP, or a queue the broker did not report). From
 * Redis: {@code retrying} (RETRY_SCHEDULED) and {@code dead} tasks, the tasks accepted and finished in the current
 * minute so far ({@code 1m}) and in the 15 minutes ending with it ({@code 15m}), finished per minute (15 entries, oldest
 * first, the current partial minute last), and {@code latencySeconds}, how long the oldest due QUEUED task has waited
 * (null when none waits).
 */
public record QueueFigures(
        @NotNull String type,
        boolean paused,
        long ready,
        long unacknowledged,
        int consumers,
        long retrying,
        long dead,
        long accepted1m,
        long accepted15m,
        long finished1m,
        long finished15m,
        @NotNull List<Long> finishedPerMinute,
        Double latencySeconds) {}
