package io.conveyor.worker.handler.dbquery;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.DbQueryPayload;
import io.conveyor.model.query.QueryDefinition;
import io.conveyor.model.result.QueryExported;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;

/**
 * Runs an allow-listed query ({@link QueryRunner}) and writes its rows to {@code <taskId>.csv} or {@code
 * <taskId>.jsonl} in the artifact directory, streamed into a temporary file that replaces the artifact only when the
 * export is complete: a failed or retried attempt never leaves half an export behind. Blocking (a database round
 * trip per batch of rows), so it runs on a virtual thread.
 */
@ApplicationScoped
public class DbQueryHandler implements TaskHandler<DbQueryPayload> {

    private final QueryRunner runner;
    private final QueryLimits limits;
    private final Artifacts artifacts;

    public DbQueryHandler(QueryRunner runner, QueryLimits limits, Artifacts artifacts) {
        this.runner = runner;
        this.limits = limits;
        this.artifacts = artifacts;
    }

    @Override
    public Class<DbQueryPayload> payloadType() {
        return DbQueryPayload.class;
    }

    @Override
    public QueryExported handle(DbQueryPayload payload, TaskContext context) throws IOException {
        QueryDefinition query = runner.find(payload.query());
        QueryRunner.Exported exported = runner.exportTo(
                artifacts,
                context,
                payload.format(),
                query.name(),
                query,
                payload.params(),
                limits.rowsFor(payload.maxRows()));
        return new QueryExported(
                exported.artifact(), payload.format(), exported.rows(), exported.truncated(), exported.bytes());
    }
}
