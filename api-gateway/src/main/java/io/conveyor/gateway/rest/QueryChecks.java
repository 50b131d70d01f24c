package io.conveyor.gateway.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.DbQueryPayload;
import io.conveyor.model.payload.GenerateReportPayload;
import io.conveyor.model.query.QueryCatalogue;
import io.conveyor.model.query.QueryDefinition;

/**
 * What Bean Validation cannot see in a payload that names a query ({@code db_query}, a {@code generate_report} of a
 * query): that the deployment defines the query, and that the parameters are the query's, each of its type. A
 * request that fails either is refused with 400 before it is accepted; the error lists the known queries, or the
 * parameters the query takes.
 */
@ApplicationScoped
public class QueryChecks {

    private final QueryCatalogue queries;

    public QueryChecks(QueryCatalogue queries) {
        this.queries = queries;
    }

    /** The field errors of {@code payload} (already valid by its constraints); empty for other payloads. */
    public List<Problem.FieldError> check(Record payload) {
        return switch (payload) {
            case DbQueryPayload query -> check(query.query(), query.params());
            case GenerateReportPayload report when report.query() != null -> check(report.query(), report.params());
            default -> List.of();
        };
    }

    private List<Problem.FieldError> check(String name, Map<String, Object> params) {
        QueryDefinition query = queries.find(name).orElse(null);
        if (query == null) {
            String known = queries.isEmpty()
                    ? "this deployment defines no queries (CONVEYOR_QUERIES_DIR)"
                    : "known queries: " + String.join(", ", queries.names());
            return List.of(new Problem.FieldError("payload.query", "unknown query '" + name + "'; " + known));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        query.check(params)
                .forEach((parameter, message) ->
                        errors.add(new Problem.FieldError("payload.params." + parameter, message)));
        return errors;
    }
}
