package io.conveyor.model;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/**
 * Why a due task has not run yet: a limit of its type ({@code conveyor.worker.rate.<type>} or
 * {@code conveyor.worker.max-running.<type>}) sent it back to wait, neither failed nor held by a worker.
 *
 * @param reason  {@code rate-limit} or {@code max-running}
 * @param message for people, e.g. "send_email is limited to 5/s across all workers"
 * @param until   when it is tried again (about)
 */
public record TaskWaiting(@NotNull String reason, String message, Instant until) {}
