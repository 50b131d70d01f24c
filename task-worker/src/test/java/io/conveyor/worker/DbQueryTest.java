package io.conveyor.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.model.Json;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.result.QueryExported;
import io.conveyor.model.result.ReportWritten;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.handler.NonRetryableException;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * db_query and generate_report's query reports against the machine's real PostgreSQL: typed exports in CSV and JSON
 * lines, the row limit, the read-only transaction, the statement timeout, and which database errors are permanent.
 * The queries are the test configuration's (a .sql file and properties); the tables live in a schema made here.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class DbQueryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SCHEMA = "conveyor_test_dbq";
    private static final List<String> artifacts = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    OutcomeRecorder outcomes;

    @ConfigProperty(name = "conveyor-handlers.artifact-dir")
    Path artifactDir;

    @BeforeAll
    static void seed() throws SQLException {
        sql(
                "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
                "CREATE SCHEMA " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".orders (id int PRIMARY KEY, customer text, status text NOT NULL,"
                        + " total numeric(10,2) NOT NULL, paid boolean, placed_at timestamptz, placed_on date,"
                        + " details jsonb, note text)",
                "INSERT INTO " + SCHEMA + ".orders VALUES"
                        + " (1, 'Ada', 'open', 12.50, true, '2026-12-01T10:15:30Z', '2026-12-01',"
                        + " '{\"items\":2}', 'plain'),"
                        + " (2, 'Bob, Jr.', 'open', 99.99, false, '2026-12-02T00:00:00Z', '2026-12-02',"
                        + " '[1,2]', 'said \"hi\"\nand left'),"
                        + " (3, '<script>alert(1)</script>', 'closed', 1000.00, null, null, '2026-12-03',"
                        + " null, null),"
                        + " (4, 'Old', 'closed', 5.00, true, '2025-01-01T00:00:00Z', '2025-01-01', null, null)");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @AfterEach
    void deleteArtifacts() throws IOException {
        for (String name : artifacts) {
            Files.deleteIfExists(artifactDir.resolve(name));
        }
    }

    @Test
    void exportsTypedRowsAsCsv() throws IOException {
        QueryExported result = exported("{\"query\":\"orders_since\",\"params\":{\"since\":\"2026-01-01\","
                + "\"min_total\":\"10\"},\"format\":\"csv\"}");

        assertEquals(3, result.rows());
        assertFalse(result.truncated());
        assertEquals("csv", result.format());
        String csv = read(result.artifact());
        assertEquals(result.bytes(), csv.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(
                "id,customer,total,paid,placed_at,placed_on,details,note\r\n"
                        + "1,Ada,12.50,true,2026-12-01T10:15:30Z,2026-12-01,\"{\"\"items\"\": 2}\",plain\r\n"
                        + "2,\"Bob, Jr.\",99.99,false,2026-12-02T00:00:00Z,2026-12-02,\"[1, 2]\","
                        + "\"said \"\"hi\"\"\nand left\"\r\n"
                        + "3,<script>alert(1)</script>,1000.00,,,2026-12-03,,\r\n",
                csv);
    }

    @Test
    void exportsJsonLinesWithJsonTypes() throws IOException {
        QueryExported result = exported("{\"query\":\"orders_since\",\"params\":{\"since\":\"2026-01-01\","
                + "\"min_total\":0},\"format\":\"jsonl\"}");

        assertEquals(3, result.rows());
        List<String> lines = read(result.artifact()).lines().toList();
        assertEquals(3, lines.size());
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertEquals(1, first.get("id").asInt());
        assertTrue(first.get("total").isNumber(), first.toString());
        assertEquals(12.5, first.get("total").asDouble());
        assertTrue(first.get("paid").isBoolean());
        assertEquals(2, first.get("details").get("items").asInt(), "jsonb is embedded as JSON");
        assertEquals("2026-12-01T10:15:30Z", first.get("placed_at").asText());
        JsonNode third = Json.mapper().readTree(lines.get(2));
        assertTrue(third.get("paid").isNull());
        assertTrue(third.get("details").isNull());
        assertEquals("<script>alert(1)</script>", third.get("customer").asText());
    }

    @Test
    void cutsAtTheRowLimitAndSaysSo() throws IOException {
        QueryExported requested = exported("{\"query\":\"numbers\",\"params\":{\"n\":50},\"maxRows\":7}");
        QueryExported workerLimit = exported("{\"query\":\"numbers\",\"params\":{\"n\":5000}}");
        QueryExported whole = exported("{\"query\":\"numbers\",\"params\":{\"n\":7},\"maxRows\":7}");

        assertEquals(7, requested.rows());
        assertTrue(requested.truncated());
        assertEquals(8, read(requested.artifact()).split("\r\n").length, "a header and 7 rows");
        assertEquals(1000, workerLimit.rows(), "the worker's CONVEYOR_QUERY_MAX_ROWS");
        assertTrue(workerLimit.truncated());
        assertEquals(7, whole.rows());
        assertFalse(whole.truncated(), "exactly the limit is not a cut");
    }

    @Test
    void aQueryThatWritesFailsForGoodAndWritesNothing() throws SQLException {
        TaskOutcome dead = deadAfter("{\"query\":\"write_attempt\"}", 3);

        assertEquals(1, dead.attempt(), "permanent: no second attempt");
        assertTrue(dead.error().getMessage().contains("25006"), dead.error().getMessage());
        try (Connection c = connect();
                var rows = c.createStatement()
                        .executeQuery("SELECT count(*) FROM " + SCHEMA + ".orders WHERE total = 0")) {
            rows.next();
            assertEquals(0, rows.getInt(1));
        }
    }

    @Test
    void aMissingTableIsPermanent() {
        TaskOutcome dead = deadAfter("{\"query\":\"missing_table\"}", 3);

        assertEquals(1, dead.attempt());
        assertInstanceOf(NonRetryableException.class, dead.error());
        assertTrue(dead.error().getMessage().contains("42P01"), dead.error().getMessage());
    }

    @Test
    void anUnknownQueryOrWrongParametersArePermanent() {
        TaskOutcome unknown = deadAfter("{\"query\":\"no_such_query\"}", 3);
        TaskOutcome wrong = deadAfter("{\"query\":\"numbers\",\"params\":{\"n\":\"many\"}}", 3);

        assertEquals(1, unknown.attempt());
        assertTrue(unknown.error().getMessage().contains("orders_since"), "lists the known queries");
        assertEquals(1, wrong.attempt());
        assertTrue(
                wrong.error().getMessage().contains("must be an integer"),
                wrong.error().getMessage());
    }

    @Test
    void theStatementTimeoutCancelsAQueryWhichIsRetried() {
        TaskOutcome dead = deadAfter("{\"query\":\"slow\",\"params\":{\"seconds\":5}}", 2);

        assertEquals(2, dead.attempt(), "a timeout is retried");
        assertTrue(dead.error().getMessage().contains("57014"), dead.error().getMessage());
        List<TaskOutcome> history = outcomes.of(dead.taskId());
        assertEquals(TaskStatus.RETRY_SCHEDULED, history.get(0).status());
    }

    @Test
    void reportsAQueryAsAnEscapedHtmlTableAndAsJson() throws IOException {
        ReportWritten html = report("{\"query\":\"orders_by_status\",\"params\":{\"status\":\"closed\"},"
                + "\"format\":\"html\",\"title\":\"Closed <orders>\"}");
        ReportWritten json =
                report("{\"query\":\"orders_by_status\",\"params\":{\"status\":\"open\"}," + "\"format\":\"json\"}");

        assertEquals(2, html.rows());
        String page = read(html.artifact());
        assertTrue(html.artifact().endsWith(".html"));
        assertTrue(page.contains("<title>Closed &lt;orders&gt;</title>"), page);
        assertTrue(page.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), page);
        assertFalse(page.contains("<script>"), "a value never becomes markup");
        assertTrue(page.contains("<td class=\"n\">1000.00</td>"), page);
        assertTrue(page.contains("2 rows."), page);

        assertEquals(2, json.rows());
        JsonNode rows = Json.mapper().readTree(read(json.artifact()));
        assertEquals(2, rows.size());
        assertEquals("Bob, Jr.", rows.get(1).get("customer").asText());
        assertEquals(99.99, rows.get(1).get("total").asDouble());
    }

    @Test
    void reportsTaskStatisticsAsHtml() throws IOException {
        ReportWritten html = report("{\"window\":\"PT1H\",\"format\":\"html\"}");

        String page = read(html.artifact());
        assertTrue(page.contains("<th scope=\"col\">status</th>"), page);
        assertTrue(page.contains("<td>generate_report</td><td>RUNNING</td>"), "a report counts itself, running");
    }

    private QueryExported exported(String payload) {
        return (QueryExported) succeeded("db_query", payload);
    }

    private ReportWritten report(String payload) {
        return (ReportWritten) succeeded("generate_report", payload);
    }

    private Object succeeded(String type, String payload) {
        var task = aTask().ofType(type).withPayload(payload);
        services.track(task.id());
        task.publishTo(services.broker());
        List<TaskOutcome> history = outcomes.await(task.id(), TaskStatus.SUCCEEDED, WAIT);
        Object result = history.get(history.size() - 1).result();
        String artifact = result instanceof QueryExported q ? q.artifact() : ((ReportWritten) result).artifact();
        artifacts.add(artifact);
        assertTrue(artifact.startsWith(task.id() + "."), artifact);
        return result;
    }

    private TaskOutcome deadAfter(String payload, int maxAttempts) {
        var task = aTask().ofType("db_query").withPayload(payload).withMaxAttempts(maxAttempts);
        services.track(task.id());
        task.publishTo(services.broker());
        List<TaskOutcome> history = outcomes.await(task.id(), TaskStatus.DEAD, WAIT);
        assertTrue(Files.notExists(artifactDir.resolve(task.id() + ".csv")), "no half export is left");
        return history.get(history.size() - 1);
    }

    private String read(String artifact) throws IOException {
        return Files.readString(artifactDir.resolve(artifact), StandardCharsets.UTF_8);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                System.getenv().getOrDefault("CONVEYOR_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getenv().getOrDefault("CONVEYOR_TEST_DB_USERNAME", "postgres"),
                "");
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
