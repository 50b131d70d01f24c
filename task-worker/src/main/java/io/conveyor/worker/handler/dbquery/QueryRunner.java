package io.conveyor.worker.handler.dbquery;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.conveyor.model.query.QueryCatalogue;
import io.conveyor.model.query.QueryDefinition;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.table.TableWriter;
import io.quarkus.arc.InjectableInstance;

/**
 * Runs an allow-listed query ({@link QueryCatalogue}) and streams its rows into a {@link TableWriter}. Shared by
 * {@code db_query} and {@code generate_report}.
 *
 * <p>Each run takes a connection from the worker's pool (Quarkus's Agroal datasource, {@code CONVEYOR_DB_URL}) and
 * runs in a transaction that is read-only (a query that writes fails with SQLState 25006) and has its own {@code
 * statement_timeout} ({@link QueryLimits}); it is rolled back at the end. Rows are fetched {@code fetch-size} at a
 * time through a cursor (the PostgreSQL driver streams only inside a transaction), so an export of millions of rows
 * holds one batch in memory. The server stops after the row limit plus one: that one only tells that the result was
 * cut.
 *
 * <p><b>Failures</b>, by SQLState class: the query itself is wrong or cannot work (42 syntax or missing object or
 * privilege, 22 data, 25 read-only, 0A, 21, 23, 28 authorization, 3D/3F missing database or schema) is permanent;
 * anything else — 08 connection, 40 deadlock or serialization, 57 statement timeout or shutdown, 53 resources, a
 * pool that has no connection to give — is retried.
 */
@ApplicationScoped
public class QueryRunner {

    /** How often progress is reported (the context throttles writes further). */
    static final int PROGRESS_EVERY = 10_000;

    private static final Set<String> PERMANENT_CLASSES =
            Set.of("0A", "21", "22", "23", "25", "26", "28", "2F", "34", "3D", "3F", "42", "44");

    private final InjectableInstance<AgroalDataSource> dataSources;
    private final QueryCatalogue queries;
    private final QueryLimits limits;

    /** What a run wrote: its data rows, and whether more were left out at the limit. */
    public record Outcome(long rows, boolean truncated) {}

    /** An export stored as a task's artifact: the file's name and size, and what the run wrote into it. */
    public record Exported(String artifact, long bytes, long rows, boolean truncated) {}

    public QueryRunner(InjectableInstance<AgroalDataSource> dataSources, QueryCatalogue queries, QueryLimits limits) {
        this.dataSources = dataSources;
        this.queries = queries;
        this.limits = limits;
    }

    /** The query called {@code name}; an unknown one (the gateway knows other queries than this worker) is permanent. */
    public QueryDefinition find(String name) {
        return queries.find(name)
                .orElseThrow(() -> new NonRetryableException(
                        "Unknown query '" + name + "'; this worker knows " + queries.names()));
    }

    /**
     * Runs {@code query} and streams its rows in {@code format} ({@link TableWriter#of}) into the task's artifact
     * {@code <taskId>.<format>}, which appears whole when the run succeeded and not at all otherwise.
     */
    public Exported exportTo(
            Artifacts artifacts,
            TaskContext context,
            String format,
            String title,
            QueryDefinition query,
            Map<String, Object> params,
            long maxRows)
            throws IOException {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Artifacts.Written written = artifacts.write(context.taskId(), TableWriter.extension(format), out -> {
            try {
                outcome.set(export(query, params, maxRows, TableWriter.of(format, out, title), context));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted: " + e.getMessage(), e);
            }
        });
        return new Exported(
                written.name(),
                written.bytes(),
                outcome.get().rows(),
                outcome.get().truncated());
    }

    /**
     * Runs {@code query} with {@code params} and writes at most {@code maxRows} rows to {@code table}.
     *
     * @throws NonRetryableException for wrong parameters or a permanent database error
     * @throws IOException for a failure another attempt may not meet (the message carries the SQLState)
     */
    public Outcome export(
            QueryDefinition query, Map<String, Object> params, long maxRows, TableWriter table, TaskContext context)
            throws IOException, InterruptedException {
        List<Object> values;
        try {
            values = query.bind(params);
        } catch (IllegalArgumentException e) {
            throw new NonRetryableException(e.getMessage(), e);
        }
        List<AgroalDataSource> active = dataSources.listActive();
        if (active.isEmpty()) {
            throw new NonRetryableException(
                    "This worker has no database: set CONVEYOR_DB_URL to run query '" + query.name() + "'");
        }
        try (Connection connection = active.get(0).getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            boolean readOnly = connection.isReadOnly();
            try {
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
                try (Statement setup = connection.createStatement()) {
                    setup.execute("SET TRANSACTION READ ONLY");
                    setup.execute("SET LOCAL statement_timeout = "
                            + limits.statementTimeout().toMillis());
                }
                return stream(connection, query, values, maxRows, table, context);
            } finally {
                try {
                    connection.rollback();
                    connection.setReadOnly(readOnly);
                    connection.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // The connection is broken: the pool drops it; the outcome is decided above.
                }
            }
        } catch (SQLException e) {
            if (isPermanent(e)) {
                throw new NonRetryableException(describe(query.name(), e), e);
            }
            throw new IOException(describe(query.name(), e), e);
        }
    }

    private Outcome stream(
            Connection connection,
            QueryDefinition query,
            List<Object> values,
            long maxRows,
            TableWriter table,
            TaskContext context)
            throws SQLException, IOException, InterruptedException {
        try (PreparedStatement statement =
                connection.prepareStatement(query.jdbcSql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(limits.fetchSize());
            statement.setMaxRows((int) Math.min(maxRows + 1, Integer.MAX_VALUE));
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            context.progress(0, -1, "running query " + query.name());
            try (ResultSet rows = statement.executeQuery()) {
                ResultColumns columns = new ResultColumns(rows.getMetaData());
                table.start(columns.columns());
                long written = 0;
                Object[] cells = new Object[columns.columns().size()];
                while (rows.next()) {
                    if (written == maxRows) {
                        table.end(written, true);
                        context.progress(written, written, written + " rows, cut at the limit");
                        return new Outcome(written, true);
                    }
                    columns.read(rows, cells);
                    table.row(Arrays.asList(cells));
                    written++;
                    if (written % PROGRESS_EVERY == 0) {
                        if (Thread.interrupted()) {
                            throw new InterruptedException("Query " + query.name() + " interrupted after " + written
                                    + " rows (its timeout passed)");
                        }
                        context.progress(written, -1, written + " rows exported");
                    }
                }
                table.end(written, false);
                context.progress(written, written, written + " rows exported");
                return new Outcome(written, false);
            }
        }
    }

    /** True when the query cannot work as it stands, whatever the attempt: see the class comment. */
    static boolean isPermanent(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() >= 2 && PERMANENT_CLASSES.contains(state.substring(0, 2));
    }

    private static String describe(String query, SQLException e) {
        return "Query " + query + " failed" + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")")
                + ": " + e.getMessage();
    }
}
