package io.conveyor.model;

import java.time.Instant;

/** One failed attempt: what was thrown, by which worker, when. */
public record TaskError(String type, String message, int attempt, Instant at, String worker) {}
