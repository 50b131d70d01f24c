package io.conveyor.model.payload;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.ReportWritten;
import io.conveyor.model.validation.MaxDuration;

/**
 * A report of task outcomes per type and status over the last {@code window}, read from the state store and written
 * as an artifact. Result: {@code {artifact, rows}}.
 *
 * @param window how far back to look, by task creation time: an ISO-8601 duration up to {@code P31D}
 * @param format {@code csv} (the default and, for now, the only one)
 */
@TaskDefinition(
        name = "generate_report",
        example = "{\"window\":\"PT24H\"}",
        description = "Report task outcomes per type and status over a window (CSV)",
        maxAttempts = 3,
        result = ReportWritten.class,
        timeout = "PT5M")
public record GenerateReportPayload(
        @NotNull @MaxDuration("P31D") Duration window,
        @Pattern(regexp = "csv", message = "must be csv") String format) {

    public GenerateReportPayload {
        format = format == null ? "csv" : format;
    }
}
