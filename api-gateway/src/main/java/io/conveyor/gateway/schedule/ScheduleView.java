package io.conveyor.gateway.schedule;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A schedule as the API shows it: its definition, its owner ({@code client}: the client that created it, which owns
 * the tasks it fires; null when created without a key), whether it is paused, when it fires next ({@code null} while
 * paused, or when the expression never fires again), when it last fired a task and which, and when it was created and
 * last changed.
 */
public record ScheduleView(
        @NotNull String name,
        @NotNull String cron,
        @NotNull String zone,
        @NotNull Missed missed,
        @NotNull JsonNode task,
        String client,
        boolean paused,
        Instant nextFireAt,
        Instant lastFireAt,
        String lastTaskId,
        @NotNull Instant createdAt,
        @NotNull Instant updatedAt) {}
