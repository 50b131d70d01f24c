package io.conveyor.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.gateway.publish.ValidatedTask;
import io.conveyor.gateway.schedule.TaskCheck;

/** A schedule's task, checked when it fires exactly as {@code POST /api/v1/tasks} checks one. */
@ApplicationScoped
public class ScheduledTaskCheck implements TaskCheck {

    private final TaskRequestReader reader;

    public ScheduledTaskCheck(TaskRequestReader reader) {
        this.reader = reader;
    }

    @Override
    public ValidatedTask check(JsonNode task) {
        try {
            return reader.read(task);
        } catch (ProblemException e) {
            StringBuilder message = new StringBuilder(e.problem().detail());
            for (Problem.FieldError error : e.problem().errors()) {
                message.append("; ").append(error.field()).append(' ').append(error.message());
            }
            throw new IllegalArgumentException(message.toString());
        }
    }
}
