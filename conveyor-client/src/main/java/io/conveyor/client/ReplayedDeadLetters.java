package io.conveyor.client;

import java.util.List;

/**
 * What {@code POST /api/v1/dead-letters/replay} answers: how many dead tasks went back to their queues, and the ids
 * left dead because they cannot run (an unknown type, not a task envelope, no queue bound for the type).
 */
public record ReplayedDeadLetters(int replayed, List<String> unroutable) {

    public ReplayedDeadLetters {
        unroutable = unroutable == null ? List.of() : List.copyOf(unroutable);
    }
}
