package io.conveyor.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.conveyor.model.ops.WorkerHeartbeat;

/** One live worker on the workers page, written out. {@code types} marks the ones it has paused. */
public record WorkerRow(
        String id,
        String host,
        String version,
        String types,
        int concurrency,
        int running,
        String done,
        String startedAt,
        String uptime,
        String heartbeat) {

    static List<WorkerRow> of(List<WorkerHeartbeat> workers) {
        Instant now = Instant.now();
        return workers.stream()
                .map(w -> new WorkerRow(
                        w.id(),
                        w.host(),
                        w.version(),
                        String.join(
                                ", ",
                                w.types().stream()
                                        .map(t -> w.paused().contains(t) ? t + " (paused)" : t)
                                        .toList()),
                        w.concurrency(),
                        w.running(),
                        Format.count(w.done()),
                        Format.time(w.startedAt()),
                        Format.duration(Duration.between(w.startedAt(), now)),
                        Format.duration(Duration.between(w.heartbeatAt(), now)) + " ago"))
                .toList();
    }
}
