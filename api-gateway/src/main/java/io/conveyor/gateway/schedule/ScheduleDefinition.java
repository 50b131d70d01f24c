package io.conveyor.gateway.schedule;

import java.time.ZoneId;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a schedule fires and when, as validated and stored (the hash field {@code definition}, as JSON): the cron
 * expression, its zone (an IANA id), the missed policy and the task as a task request {@code {type, payload,
 * options}} (the payload as bound, with its defaults). The task is validated again each time it fires, exactly as
 * {@code POST /api/v1/tasks} validates it.
 */
public record ScheduleDefinition(String cron, String zone, Missed missed, JsonNode task) {

    /** The parsed expression. */
    public Cron parsedCron() {
        return Cron.parse(cron);
    }

    public ZoneId zoneId() {
        return Cron.zone(zone);
    }

    /** The task's type as stored. */
    public String type() {
        JsonNode type = task == null ? null : task.get("type");
        return type == null ? null : type.asText();
    }
}
