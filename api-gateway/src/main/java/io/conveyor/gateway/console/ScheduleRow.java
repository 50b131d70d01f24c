package io.conveyor.gateway.console;

import java.util.List;

import io.conveyor.gateway.schedule.ScheduleView;

/** One schedule on the schedules page, written out: times in UTC, "paused" or the next fire time. */
public record ScheduleRow(
        String name,
        String cron,
        String zone,
        String type,
        String client,
        boolean paused,
        String next,
        String last,
        String lastTaskId) {

    static List<ScheduleRow> of(List<ScheduleView> schedules) {
        return schedules.stream()
                .map(s -> new ScheduleRow(
                        s.name(),
                        s.cron(),
                        s.zone(),
                        s.task().path("type").asText(),
                        s.client() == null ? "local" : s.client(),
                        s.paused(),
                        s.paused() ? "paused" : s.nextFireAt() == null ? "never" : Format.time(s.nextFireAt()),
                        s.lastFireAt() == null ? "never" : Format.time(s.lastFireAt()),
                        s.lastTaskId()))
                .toList();
    }
}
