package io.conveyor.model.query;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Named parameters become placeholders only in SQL text, never inside literals, comments or casts. */
class NamedSqlTest {

    @Test
    void replacesNamesInOrderOfUseAndBindsARepeatedNameTwice() {
        NamedSql sql = NamedSql.parse("SELECT * FROM t WHERE a >= :since AND (b = :status OR c = :since)");

        assertEquals("SELECT * FROM t WHERE a >= ? AND (b = ? OR c = ?)", sql.jdbc());
        assertEquals(List.of("since", "status", "since"), sql.names());
    }

    @Test
    void leavesLiteralsCommentsCastsAndDollarQuotesAlone() {
        NamedSql sql = NamedSql.parse("SELECT ':no', E'it\\'s :no', \":no\", $$ :no $$, $tag$ :no $tag$, x::text"
                + " -- :no\n /* :no */ FROM t WHERE y = :yes");

        assertEquals(List.of("yes"), sql.names());
        assertEquals(
                "SELECT ':no', E'it\\'s :no', \":no\", $$ :no $$, $tag$ :no $tag$, x::text -- :no\n /* :no */ FROM t"
                        + " WHERE y = ?",
                sql.jdbc());
    }

    @Test
    void escapesALiteralQuestionMarkForTheDriver() {
        NamedSql sql = NamedSql.parse("SELECT doc ? 'key', doc ?| array['a'] FROM t WHERE id = :id");

        assertEquals("SELECT doc ?? 'key', doc ??| array['a'] FROM t WHERE id = ?", sql.jdbc());
    }

    @Test
    void acceptsOneTrailingSemicolonButNotASecondStatement() {
        assertEquals("SELECT 1", NamedSql.parse("SELECT 1; -- done\n").jdbc());
        IllegalArgumentException two =
                assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT 1; DROP TABLE t"));
        assertEquals("a query is one statement: text follows its ';'", two.getMessage());
        assertEquals("SELECT ';' AS s", NamedSql.parse("SELECT ';' AS s").jdbc());
    }

    @Test
    void refusesUnclosedLiteralsAndComments() {
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT 'open"));
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT 1 /* open"));
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT $x$ open"));
    }
}
