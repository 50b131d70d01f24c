package io.conveyor.model.event;

import java.time.Instant;

import io.conveyor.model.TaskStatus;

/**
 * What Conveyor tells the world when a task moves: published on the {@code conveyor.events} topic exchange with
 * routing key {@link #routingKey() <type>.<status>}, and the body of a task's signed webhook. Small on purpose: a
 * subscriber that needs the result reads the task. Empty fields are absent from the JSON.
 *
 * @param id       this event's id, unique per event and kept across webhook retries ({@code webhook-id})
 * @param taskId   the task's id
 * @param type     the task's type
 * @param status   where the task is now: SUCCEEDED, DEAD or CANCELLED (terminal), or RUNNING or RETRY_SCHEDULED when
 *                 every transition is published
 * @param attempt  the attempt that ended (0 for a task cancelled before it ran)
 * @param at       when the move happened
 * @param error    the error of a failed attempt, null otherwise
 * @param schedule the schedule that fired the task, null for a task a producer sent
 * @param batch    the batch the task belongs to, null for a task of no batch
 */
public record OutcomeEvent(
        String id,
        String taskId,
        String type,
        TaskStatus status,
        int attempt,
        Instant at,
        EventError error,
        String schedule,
        String batch) {

    /** The class and message of the error that ended an attempt. */
    public record EventError(String errorClass, String message) {}

    /** {@code <type>.<status>}, e.g. {@code send_email.DEAD}. */
    public String routingKey() {
        return type + "." + status.name();
    }
}
