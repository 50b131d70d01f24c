package io.conveyor.model.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A query's SQL with {@code :name} parameters, turned into JDBC's {@code ?} placeholders and the parameter names in
 * their order of use (a name used twice is bound twice). Only SQL text counts: string literals ({@code '...'},
 * {@code E'...'}), quoted identifiers, dollar-quoted bodies and comments are copied as they are, a {@code ::} cast is
 * not a parameter, and a literal {@code ?} (PostgreSQL's JSON operators) is escaped as {@code ??} so the driver does
 * not take it for a placeholder. Refuses SQL with more than one statement: a query is one SELECT (or WITH ...).
 *
 * @param jdbc  the statement as JDBC prepares it
 * @param names the parameter of each placeholder, in order
 */
public record NamedSql(String jdbc, List<String> names) {

    public NamedSql {
        names = List.copyOf(names);
    }

    /**
     * @throws IllegalArgumentException for an unterminated literal or comment, or a second statement
     */
    public static NamedSql parse(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            if (c == '\'') {
                boolean escapes = i > 0
                        && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)));
                i = copyQuoted(sql, i, '\'', escapes, out);
            } else if (c == '"') {
                i = copyQuoted(sql, i, '"', false, out);
            } else if (c == '-' && next == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && next == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("a /* comment is not closed");
                }
                out.append(sql, i, end + 2);
                i = end + 2;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                if (end < 0) {
                    throw new IllegalArgumentException("the dollar-quoted string " + tag + " is not closed");
                }
                out.append(sql, i, end + tag.length());
                i = end + tag.length();
            } else if (c == ':' && next == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && Character.isJavaIdentifierStart(next) && next != '$') {
                int end = i + 1;
                while (end < n && isNamePart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else if (c == '?') {
                out.append("??");
                i++;
            } else if (c == ';') {
                if (!sql.substring(i + 1)
                        .replaceAll("(?s)--[^\n]*|/\\*.*?\\*/", "")
                        .isBlank()) {
                    throw new IllegalArgumentException("a query is one statement: text follows its ';'");
                }
                i = n;
            } else {
                out.append(c);
                i++;
            }
        }
        return new NamedSql(out.toString().strip(), names);
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Copies a quoted run from {@code start} (its opening quote) through its closing quote; a doubled quote escapes. */
    private static int copyQuoted(String sql, int start, char quote, boolean backslashEscapes, StringBuilder out) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                out.append(sql, start, i + 1);
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("a " + quote + "-quoted text is not closed");
    }

    /** {@code $$} or {@code $tag$} starting at {@code i}, or null when the {@code $} starts none. */
    private static String dollarTag(String sql, int i) {
        if (i > 0 && isNamePart(sql.charAt(i - 1))) {
            return null; // part of an identifier, or a positional $1
        }
        int end = i + 1;
        while (end < sql.length() && isNamePart(sql.charAt(end))) {
            end++;
        }
        if (end >= sql.length() || sql.charAt(end) != '$') {
            return null;
        }
        String tag = sql.substring(i, end + 1);
        return tag.length() > 2 && Character.isDigit(tag.charAt(1)) ? null : tag;
    }
}
