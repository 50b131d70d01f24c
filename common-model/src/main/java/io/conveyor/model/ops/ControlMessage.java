package io.conveyor.model.ops;

import jakarta.validation.constraints.NotNull;

/**
 * What the gateway publishes on {@link OpsKeys#CONTROL_EXCHANGE} (JSON): every worker that consumes {@code type}
 * stops consuming it ({@link Action#PAUSE}) or starts again ({@link Action#RESUME}). The paused set in Redis
 * ({@link OpsKeys#PAUSED}) is written first, so a worker that misses the message still finds the state.
 */
public record ControlMessage(
        @NotNull Action action, @NotNull String type) {

    public enum Action {
        PAUSE,
        RESUME
    }
}
