package io.conveyor.worker.handler.dbquery;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.DbQueryPayload;
import io.conveyor.model.query.QueryDefinition;
import io.conveyor.model.result.QueryExported;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.handler.table.TableWriter;

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
    public QueryExported handle(DbQueryPayload payload, TaskContext context) throws IOException, InterruptedException {
        QueryDefinition query = runner.find(payload.query());
        long maxRows = limits.rowsFor(payload.maxRows());
        AtomicReference<QueryRunner.Outcome> outcome = new AtomicReference<>();
        Artifacts.Written written = artifacts.write(context.taskId(), TableWriter.extension(payload.format()), out -> {
            try {
                outcome.set(runner.export(
                        query,
                        payload.params(),
                        maxRows,
                        TableWriter.of(payload.format(), out, query.name()),
                        context));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted: " + e.getMessage(), e);
            }
        });
        return new QueryExported(
                written.name(),
                payload.format(),
                outcome.get().rows(),
                outcome.get().truncated(),
                written.bytes());
    }
}
