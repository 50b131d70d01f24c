package io.conveyor.gateway.schedule;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.gateway.publish.ValidatedTask;

/**
 * Checks a schedule's task request ({@code {type, payload, options}}) exactly as {@code POST /api/v1/tasks} checks
 * one, against the catalogue as it is now. Implemented where requests are read ({@code rest}), so that a tick's task
 * passes the very same checks as a submitted one without this package knowing HTTP.
 */
public interface TaskCheck {

    /** The task, validated; fails with a {@link RuntimeException} whose message says what is wrong. */
    ValidatedTask check(JsonNode task);
}
