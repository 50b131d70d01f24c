package io.conveyor.gateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.conveyor.gateway.ops.QueueFigures;
import io.conveyor.gateway.ops.QueuesView;

/**
 * One task type's line on the overview and the queues page, its figures written out, each with the link to the tasks
 * behind it. {@code health} is {@code ok}, {@code paused}, or {@code alarm} (nobody consumes it, or its oldest task
 * has waited past the alarm) with {@code why} saying which.
 */
public record QueueRow(
        String type,
        String query,
        boolean paused,
        String ready,
        String unacknowledged,
        String consumers,
        String retrying,
        String dead,
        String accepted1m,
        String accepted15m,
        String finished1m,
        String finished15m,
        String latency,
        String sparkline,
        String health,
        String badge,
        String why) {

    static final int SPARK_WIDTH = 120;
    static final int SPARK_HEIGHT = 24;

    static List<QueueRow> of(QueuesView view, Duration latencyAlarm) {
        return view.queues().stream().map(q -> of(q, latencyAlarm)).toList();
    }

    static QueueRow of(QueueFigures q, Duration latencyAlarm) {
        String health = "ok";
        String badge = "";
        String why = "";
        if (q.paused()) {
            health = "paused";
            badge = "paused";
            why = "paused: workers do not take its tasks";
        } else if (q.consumers() == 0) {
            health = "alarm";
            badge = "no consumer";
            why = "no worker consumes it";
        } else if (q.latencySeconds() != null && q.latencySeconds() * 1000 > latencyAlarm.toMillis()) {
            health = "alarm";
            badge = "slow";
            why = "its oldest task has waited over " + Format.duration(latencyAlarm);
        }
        return new QueueRow(
                q.type(),
                URLEncoder.encode(q.type(), StandardCharsets.UTF_8),
                q.paused(),
                Format.count(q.ready()),
                Format.count(q.unacknowledged()),
                Format.count(q.consumers()),
                Format.count(q.retrying()),
                Format.count(q.dead()),
                Format.count(q.accepted1m()),
                Format.count(q.accepted15m()),
                Format.count(q.finished1m()),
                Format.count(q.finished15m()),
                Format.seconds(q.latencySeconds()),
                Format.sparkline(q.finishedPerMinute(), SPARK_WIDTH, SPARK_HEIGHT),
                health,
                badge,
                why);
    }

    /** The sums over every type, as one row without links. */
    static QueueRow totals(QueuesView view) {
        List<QueueFigures> all = view.queues();
        long unacked = all.stream().anyMatch(q -> q.unacknowledged() < 0)
                ? -1
                : all.stream().mapToLong(QueueFigures::unacknowledged).sum();
        return new QueueRow(
                "All types",
                "",
                false,
                Format.count(all.stream().mapToLong(QueueFigures::ready).sum()),
                Format.count(unacked),
                Format.count(all.stream().mapToLong(QueueFigures::consumers).sum()),
                Format.count(all.stream().mapToLong(QueueFigures::retrying).sum()),
                Format.count(all.stream().mapToLong(QueueFigures::dead).sum()),
                Format.count(all.stream().mapToLong(QueueFigures::accepted1m).sum()),
                Format.count(all.stream().mapToLong(QueueFigures::accepted15m).sum()),
                Format.count(all.stream().mapToLong(QueueFigures::finished1m).sum()),
                Format.count(all.stream().mapToLong(QueueFigures::finished15m).sum()),
                all.stream()
                        .map(QueueFigures::latencySeconds)
                        .filter(s -> s != null)
                        .max(Double::compare)
                        .map(Format::seconds)
                        .orElse("—"),
                "",
                "ok",
                "",
                "");
    }
}
