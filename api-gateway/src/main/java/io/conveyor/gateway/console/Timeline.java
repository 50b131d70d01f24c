package io.conveyor.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.conveyor.gateway.state.TaskDetail;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;

/**
 * A task's life as the console shows it: accepted, then each attempt with its worker, duration and error (failed
 * attempts from the failures list, the last one from the record), then how it ended. Pure.
 */
public final class Timeline {

    /**
     * One line of it. {@code state} is {@code ok}, {@code failed}, {@code running} or {@code info}; {@code detail}
     * (an error message, long ones folded by the page) may be empty.
     */
    public record Entry(String at, String what, String worker, String duration, String state, String detail) {

        /** True when the detail is long enough to fold (a stack trace, a long message). */
        public boolean folded() {
            return detail.length() > 160 || detail.contains("\n");
        }

        /** The detail's first line, shown while folded. */
        public String summary() {
            String first = detail.lines().findFirst().orElse("");
            return first.length() > 160 ? first.substring(0, 157) + "..." : first;
        }
    }

    private Timeline() {}

    public static List<Entry> of(TaskDetail detail, Instant now) {
        TaskView view = detail.view();
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(Format.time(view.createdAt()), "Accepted", "", "", "info", ""));
        for (TaskError failure : detail.failures()) {
            Duration took = failure.startedAt() == null || failure.at() == null
                    ? null
                    : Duration.between(failure.startedAt(), failure.at());
            String message = failure.message() == null ? "" : failure.message();
            entries.add(new Entry(
                    Format.time(failure.at()),
                    "Attempt " + failure.attempt() + " failed: " + failure.type(),
                    failure.worker() == null ? "" : failure.worker(),
                    Format.duration(took),
                    "failed",
                    message));
        }
        TaskStatus status = view.status();
        String worker = detail.worker() == null ? "" : detail.worker();
        switch (status) {
            case RUNNING ->
                entries.add(new Entry(
                        Format.time(detail.startedAt()),
                        "Attempt " + view.attempts() + " running",
                        worker,
                        detail.startedAt() == null ? "" : Format.duration(Duration.between(detail.startedAt(), now)),
                        "running",
                        ""));
            case SUCCEEDED ->
                entries.add(new Entry(
                        Format.time(view.updatedAt()),
                        "Attempt " + view.attempts() + " succeeded",
                        worker,
                        detail.startedAt() == null
                                ? ""
                                : Format.duration(Duration.between(detail.startedAt(), view.updatedAt())),
                        "ok",
                        ""));
            case RETRY_SCHEDULED ->
                entries.add(new Entry(
                        Format.time(view.updatedAt()),
                        "Next attempt at " + Format.time(view.nextAttemptAt()),
                        "",
                        "",
                        "info",
                        ""));
            case DEAD -> entries.add(new Entry(Format.time(view.updatedAt()), "Dead", "", "", "failed", ""));
            case CANCELLED -> entries.add(new Entry(Format.time(view.updatedAt()), "Cancelled", "", "", "info", ""));
            case QUEUED ->
                entries.add(new Entry(
                        Format.time(view.updatedAt()),
                        view.nextAttemptAt() != null && view.nextAttemptAt().isAfter(now)
                                ? "Waiting until " + Format.time(view.nextAttemptAt())
                                : "Waiting in its queue",
                        "",
                        "",
                        "info",
                        ""));
        }
        return entries;
    }
}
