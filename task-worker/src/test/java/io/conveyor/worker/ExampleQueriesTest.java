package io.conveyor.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.conveyor.model.query.QueryCatalogue;
import io.conveyor.model.query.QueryDefinition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped examples hold together: examples/sample-db.sql loads (twice: it is idempotent) into a database of its
 * own on the real PostgreSQL, and every query of examples/queries/ parses and returns rows from it, as the compose
 * stack's quick start runs them.
 */
class ExampleQueriesTest {

    private static final String DATABASE = "conveyor_test_examples";
    private static final Path EXAMPLES = Path.of("..", "examples");

    /** Parameters for each example query: what the README's quick start would send. */
    private static final Map<String, Map<String, Object>> PARAMS = Map.of(
            "orders_since", Map.of("since", "2026-11-01"),
            "orders_by_status", Map.of("status", "paid"),
            "revenue_by_country", Map.of("from", "2026-01-01", "to", "2026-07-01"));

    @BeforeAll
    static void loadTheSample() throws SQLException, IOException {
        dropDatabase();
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String sample = Files.readString(EXAMPLES.resolve("sample-db.sql"));
        try (Connection c = connect(DATABASE);
                Statement s = c.createStatement()) {
            s.execute(sample);
            s.execute(sample);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            // The role is cluster-wide: drop it unless another database still grants it something.
            s.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'conveyor_reader')"
                    + " AND NOT EXISTS (SELECT FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid"
                    + " WHERE r.rolname = 'conveyor_reader') THEN DROP ROLE conveyor_reader; END IF; END $$");
        }
    }

    @Test
    void everyExampleQueryReturnsRowsFromTheSample() throws SQLException {
        QueryCatalogue queries = QueryCatalogue.load(Optional.of(EXAMPLES.resolve("queries")), Map.of());

        assertEquals(PARAMS.keySet().stream().sorted().toList(), queries.names(), "a test row for every example");
        try (Connection c = connect(DATABASE)) {
            c.setReadOnly(true);
            for (QueryDefinition query : queries.all()) {
                assertTrue(!query.description().isBlank(), query.name() + " has a description");
                List<Object> values = query.bind(PARAMS.get(query.name()));
                try (PreparedStatement statement = c.prepareStatement(query.jdbcSql())) {
                    for (int i = 0; i < values.size(); i++) {
                        statement.setObject(i + 1, values.get(i));
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        assertTrue(rows.next(), query.name() + " returns rows");
                    }
                }
            }
        }
    }

    private static Connection connect(String database) throws SQLException {
        String url = System.getenv().getOrDefault("CONVEYOR_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        return DriverManager.getConnection(
                url.substring(0, url.lastIndexOf('/') + 1) + database,
                System.getenv().getOrDefault("CONVEYOR_TEST_DB_USERNAME", "postgres"),
                "");
    }
}
