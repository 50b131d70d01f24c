package io.conveyor.worker.handler.dbquery;

import java.sql.SQLException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which database failures another attempt cannot fix. The ones a test can provoke on a real PostgreSQL (a write,
 * a missing table, the statement timeout) are DbQueryTest's; connection loss, deadlocks and resource errors are
 * classified here by their SQLState.
 */
class QueryFailuresTest {

    @ParameterizedTest(name = "{0}: permanent {1}")
    @CsvSource({
        "42601, true", // syntax error
        "42P01, true", // undefined table
        "42703, true", // undefined column
        "42501, true", // insufficient privilege
        "22012, true", // division by zero
        "22P02, true", // invalid text representation
        "25006, true", // read-only transaction: the query writes
        "28P01, true", // wrong password
        "3D000, true", // no such database
        "0A000, true", // feature not supported
        "08006, false", // connection failure
        "08001, false", // cannot connect
        "40P01, false", // deadlock
        "40001, false", // serialization failure
        "57014, false", // statement timeout (query canceled)
        "57P01, false", // server shutting down
        "53300, false", // too many connections
        "XX000, false", // internal error
    })
    void sortsBySqlStateClass(String state, boolean permanent) {
        assertEquals(permanent, QueryRunner.isPermanent(new SQLException("failed", state)));
    }

    @ParameterizedTest(name = "no SQLState: retried")
    @ValueSource(strings = {"Sorry, acquisition timeout!", "Connection is closed"})
    void aFailureWithoutStateIsRetried(String message) {
        assertEquals(false, QueryRunner.isPermanent(new SQLException(message)));
    }
}
