package io.conveyor.worker.handler.dbquery;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The worker's bounds on a query: how long one statement may run (PostgreSQL's {@code statement_timeout}, set for its
 * transaction only), how many rows an export may hold, and how many rows are fetched per round trip (the rows in
 * memory at once).
 */
@ApplicationScoped
public class QueryLimits {

    private final Duration statementTimeout;
    private final long maxRows;
    private final int fetchSize;

    public QueryLimits(
            @ConfigProperty(name = "conveyor-handlers.query-timeout", defaultValue = "PT5M") Duration statementTimeout,
            @ConfigProperty(name = "conveyor-handlers.query-max-rows", defaultValue = "10000000") long maxRows,
            @ConfigProperty(name = "conveyor-handlers.query-fetch-size", defaultValue = "1000") int fetchSize) {
        if (statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("CONVEYOR_QUERY_TIMEOUT must be positive, not " + statementTimeout);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("CONVEYOR_QUERY_MAX_ROWS must be at least 1, not " + maxRows);
        }
        if (fetchSize < 1 || fetchSize > 100_000) {
            throw new IllegalArgumentException("CONVEYOR_QUERY_FETCH_SIZE must be 1..100000, not " + fetchSize);
        }
        this.statementTimeout = statementTimeout;
        this.maxRows = maxRows;
        this.fetchSize = fetchSize;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public long maxRows() {
        return maxRows;
    }

    public int fetchSize() {
        return fetchSize;
    }

    /** The rows a request may have: its own limit when it gives a lower one. */
    public long rowsFor(Long requested) {
        return requested == null ? maxRows : Math.min(requested, maxRows);
    }
}
