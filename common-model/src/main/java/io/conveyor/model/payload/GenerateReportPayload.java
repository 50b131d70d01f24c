package io.conveyor.model.payload;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.ReportWritten;
import io.conveyor.model.validation.MaxDuration;

/**
 * A report written as an artifact, of one of two sources: Conveyor's own task outcomes per type and status over the
 * last {@code window} (read from the state store), or the rows of one of the deployment's allow-listed queries (the
 * queries {@code db_query} runs), with its parameters. Result: {@code {artifact, format, rows, truncated}}.
 *
 * @param window  task statistics: how far back to look, by task creation time, an ISO-8601 duration up to {@code P31D}
 * @param query   a query's rows: the name of a query the deployment defines ({@code GET /api/v1/queries})
 * @param params  the query's parameters by name
 * @param format  {@code csv} (the default), {@code json} (an array of objects) or {@code html} (a standalone page)
 * @param title   the HTML page's title; by default the query's name or "Task outcomes"
 * @param maxRows a query report stops after this many rows (the result says {@code truncated})
 */
@TaskDefinition(
        name = "generate_report",
        example = "{\"window\":\"PT24H\",\"format\":\"html\"}",
        description = "Report task outcomes over a window, or an allow-listed query's rows (CSV, JSON or HTML)",
        maxAttempts = 3,
        result = ReportWritten.class,
        timeout = "PT30M")
public record GenerateReportPayload(
        @MaxDuration("P31D") Duration window,

        @Pattern(regexp = "[a-z][a-z0-9_]{0,62}", message = "must be a query name ([a-z][a-z0-9_]*)")
        String query,

        Map<String, Object> params,

        @Pattern(regexp = "csv|json|html", message = "must be csv, json or html")
        String format,

        @Size(max = 200) String title,
        @Min(1) @Max(100_000_000) Long maxRows) {

    public GenerateReportPayload {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        format = format == null ? "csv" : format;
    }

    /** Statistics over a window: the report of earlier versions, still the one a {@code window} asks for. */
    public GenerateReportPayload(Duration window, String format) {
        this(window, null, null, format, null, null);
    }

    /** Exactly one source: a {@code window} or a {@code query}. */
    @JsonIgnore
    @AssertTrue(message = "give either window (task statistics) or query (a query's rows), not both")
    public boolean isOneSource() {
        return (window == null) != (query == null);
    }

    /** {@code params} and {@code maxRows} go with a query only. */
    @JsonIgnore
    @AssertTrue(message = "params and maxRows go with a query, not with window")
    public boolean isQueryOptionsWithQuery() {
        return query != null || (params.isEmpty() && maxRows == null);
    }
}
