package io.conveyor.model.ops;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * One worker as it last reported itself (JSON under {@link OpsKeys#worker}), and one entry of
 * {@code GET /api/v1/workers}. {@code running} counts handlers running now; {@code done} the attempts this worker
 * finished since it started, whatever their outcome; {@code paused} the consumed types it does not consume now.
 */
public record WorkerHeartbeat(
        @NotNull String id,
        @NotNull String host,
        @NotNull String version,
        @NotNull List<String> types,
        @NotNull List<String> paused,
        int concurrency,
        int running,
        long done,
        @NotNull Instant startedAt,
        @NotNull Instant heartbeatAt,
        long heartbeatIntervalMillis) {}
