package io.conveyor.model.payload;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import io.conveyor.model.TaskDefinition;
import io.conveyor.model.result.QueryExported;

/**
 * Runs one of the deployment's allow-listed queries ({@link io.conveyor.model.query.QueryCatalogue}) in a read-only
 * transaction and writes its rows as an artifact. A request names the query and gives its parameters, which are
 * bound as JDBC parameters: it never sends SQL. Result: {@code {artifact, format, rows, truncated, bytes}}.
 *
 * @param query   the name of a query the deployment defines ({@code GET /api/v1/queries} lists them)
 * @param params  the query's parameters by name, each of the type the query declares
 * @param format  {@code csv} (the default: RFC 4180, a header row) or {@code jsonl} (one JSON object per row)
 * @param maxRows stop after this many rows (the result then says {@code truncated}); at most the worker's limit
 */
@TaskDefinition(
        name = "db_query",
        example = "{\"query\":\"orders_since\",\"params\":{\"since\":\"2026-01-01\"},\"format\":\"csv\"}",
        description = "Run an allow-listed database query and export its rows (CSV or JSON lines)",
        maxAttempts = 3,
        result = QueryExported.class,
        timeout = "PT30M")
public record DbQueryPayload(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9_]{0,62}", message = "must be a query name ([a-z][a-z0-9_]*)")
        String query,

        Map<String, Object> params,

        @Pattern(regexp = "csv|jsonl", message = "must be csv or jsonl")
        String format,

        @Min(1) @Max(100_000_000) Long maxRows) {

    public DbQueryPayload {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        format = format == null ? "csv" : format;
    }
}
