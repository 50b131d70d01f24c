package io.conveyor.gateway.console;

import java.util.List;

import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskView;

/** One task on the tasks page, written out. {@code progress} is empty, or e.g. {@code 40 %} or {@code 12 done}. */
public record TaskRow(
        String id, String type, String status, String attempts, String createdAt, String updatedAt, String progress) {

    static List<TaskRow> of(List<TaskView> views) {
        return views.stream()
                .map(v -> new TaskRow(
                        v.id(),
                        v.type(),
                        v.status().name(),
                        v.attempts() + " / " + v.maxAttempts(),
                        Format.time(v.createdAt()),
                        Format.time(v.updatedAt()),
                        progress(v.progress())))
                .toList();
    }

    static String progress(TaskProgress p) {
        if (p == null) {
            return "";
        }
        if (p.total() != null && p.total() > 0) {
            return Math.min(100, p.done() * 100 / p.total()) + " %";
        }
        return p.done() + " done";
    }
}
