package io.conveyor.model.query;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query definitions from files and properties: what they declare, what they refuse, how parameters bind. */
class QueryCatalogueTest {

    @TempDir
    Path dir;

    @Test
    void readsFilesAndPropertiesTogether() throws IOException {
        Files.writeString(dir.resolve("orders_since.sql"), """
                -- Orders placed since a day,
                -- by status.
                -- @param since date
                -- @param status text
                SELECT id FROM orders WHERE placed_on >= :since AND status = :status
                """);
        Files.writeString(dir.resolve("notes.txt"), "not a query");

        QueryCatalogue queries = QueryCatalogue.load(
                Optional.of(dir),
                Map.of(
                        "conveyor-handlers.queries.top.sql", "SELECT * FROM t ORDER BY x DESC LIMIT :n",
                        "conveyor-handlers.queries.top.params.n", "integer",
                        "conveyor-handlers.queries.top.description", "The top rows"));

        assertEquals(List.of("orders_since", "top"), queries.names());
        QueryDefinition orders = queries.find("orders_since").orElseThrow();
        assertEquals("Orders placed since a day, by status.", orders.description());
        assertEquals(Map.of("since", ParameterType.DATE, "status", ParameterType.TEXT), orders.parameters());
        assertEquals(
                "SELECT * FROM t ORDER BY x DESC LIMIT ?",
                queries.find("top").orElseThrow().jdbcSql());
    }

    @Test
    void bindsEachTypeAndNamesWhatIsWrong() {
        QueryDefinition query = new QueryDefinition(
                "q",
                "",
                "SELECT :t, :i, :n, :b, :d, :ts, :i",
                ordered("t", "text", "i", "integer", "n", "numeric", "b", "boolean", "d", "date", "ts", "timestamp"));
        Map<String, Object> good = new LinkedHashMap<>();
        good.put("t", "x");
        good.put("i", 7);
        good.put("n", 1.5);
        good.put("b", true);
        good.put("d", "2026-12-03");
        good.put("ts", "2026-12-03T10:15:30+01:00");

        assertEquals(
                List.of(
                        "x",
                        7L,
                        new BigDecimal("1.5"),
                        true,
                        LocalDate.of(2026, 12, 3),
                        OffsetDateTime.parse("2026-12-03T10:15:30+01:00"),
                        7L),
                query.bind(good));

        Map<String, Object> bad = new LinkedHashMap<>(good);
        bad.put("i", "7");
        bad.put("d", "3 Dec");
        bad.remove("b");
        bad.put("extra", 1);
        Map<String, String> errors = query.check(bad);
        assertEquals(
                Map.of(
                        "i", "must be an integer",
                        "d", "must be a date (YYYY-MM-DD)",
                        "b", "is required: true or false",
                        "extra", "is not a parameter of query 'q'; it takes [t, i, n, b, d, ts]"),
                errors);
        assertThrows(IllegalArgumentException.class, () -> query.bind(bad));
    }

    @Test
    void refusesDefinitionsThatCannotWork() throws IOException {
        assertRefused("uses parameters [status] without declaring", "-- @param since date\nSELECT :since, :status");
        assertRefused("declares parameters [unused] that its SQL does not use", "-- @param unused text\nSELECT 1");
        assertRefused("unknown type 'string'", "-- @param s string\nSELECT :s");
        assertRefused("one statement", "SELECT 1; DELETE FROM t");
        assertRefused("unknown directive '@limit 5'", "-- @limit 5\nSELECT 1");

        IllegalStateException orphan = assertThrows(
                IllegalStateException.class,
                () -> QueryCatalogue.load(Optional.empty(), Map.of("conveyor-handlers.queries.x.params.a", "text")));
        assertTrue(orphan.getMessage().contains("has parameters but no"), orphan.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> {
            Files.writeString(dir.resolve("top.sql"), "SELECT 1");
            QueryCatalogue.load(Optional.of(dir), Map.of("conveyor-handlers.queries.top.sql", "SELECT 2"));
        });
        assertEquals("query 'top' is defined twice", twice.getMessage());
        IllegalStateException notDir = assertThrows(
                IllegalStateException.class, () -> QueryCatalogue.load(Optional.of(dir.resolve("missing")), Map.of()));
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
    }

    private void assertRefused(String expected, String text) throws IOException {
        Path file = dir.resolve("broken.sql");
        Files.writeString(file, text);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> QueryCatalogue.fromFile(file));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
        assertTrue(refused.getMessage().contains(file.toString()), "names the file");
        Files.delete(file);
    }

    private static Map<String, ParameterType> ordered(String... pairs) {
        Map<String, ParameterType> types = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            types.put(pairs[i], ParameterType.named(pairs[i + 1]));
        }
        return types;
    }
}
