package io.conveyor.gateway.state;

import java.time.Instant;

/**
 * Fired (as a CDI event) when a cancel moved a task to CANCELLED, whoever asked: the API, the console, or a batch
 * cancelling the tasks the broker did not take. Observers run on the thread that got Redis's answer: they must not
 * block.
 *
 * @param taskId the cancelled task
 * @param at     when it was cancelled (the record's updatedAt)
 */
public record TaskCancelled(String taskId, Instant at) {}
