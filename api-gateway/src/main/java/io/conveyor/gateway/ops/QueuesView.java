package io.conveyor.gateway.ops;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * {@code GET /api/v1/queues}: every task type's figures, read at {@code at}; {@code source} says where the broker's
 * counts came from: {@value #MANAGEMENT} (the management API, configured) or {@value #AMQP} (passive declares).
 */
public record QueuesView(
        @NotNull Instant at,
        @NotNull String source,
        @NotNull List<QueueFigures> queues) {

    public static final String MANAGEMENT = "management";
    public static final String AMQP = "amqp";
}
