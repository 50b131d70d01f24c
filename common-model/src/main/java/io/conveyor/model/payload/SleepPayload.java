package io.conveyor.model.payload;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.validation.MaxDuration;

/** Sleeps for a while: the seed's "send email" stand-in, for drain and crash tests. */
@TaskDefinition(
        name = "sleep",
        example = "{\"duration\":\"PT2S\"}",
        description = "Sleep for a duration (drain and crash tests)",
        maxAttempts = 3,
        timeout = "PT11M",
        diagnostic = true)
public record SleepPayload(@NotNull @MaxDuration("PT10M") Duration duration) {}
