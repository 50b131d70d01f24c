package io.conveyor.worker.handler.table;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A standalone HTML page holding one table: a title, a header row, the rows, and a footer with the row count (and
 * that the table was cut at the row limit, when it was). Every text is escaped, so a value from the database can
 * never become markup; the page has no script and a strict Content-Security-Policy of its own. Numbers align right.
 */
final class HtmlTable implements TableWriter {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}"
            + "table{border-collapse:collapse}th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left}"
            + "th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}"
            + "td.null{color:#767676}caption{text-align:left;font-weight:600;padding:.5rem 0}"
            + "@media (prefers-color-scheme:dark){body{background:#121212;color:#e8e8e8}th{background:#2a2a2a}"
            + "th,td{border-color:#444}td.null{color:#9a9a9a}}";

    private final Writer out;
    private final String title;
    private List<Column> columns;

    HtmlTable(OutputStream out, String title) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        this.title = title;
    }

    @Override
    public void start(List<Column> columns) throws IOException {
        this.columns = columns;
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.write(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        escaped(title);
        out.write("</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<table>\n<caption>");
        escaped(title);
        out.write("</caption>\n<thead><tr>");
        for (Column column : columns) {
            out.write("<th scope=\"col\">");
            escaped(column.label());
            out.write("</th>");
        }
        out.write("</tr></thead>\n<tbody>\n");
    }

    @Override
    public void row(List<Object> cells) throws IOException {
        out.write("<tr>");
        for (int i = 0; i < cells.size(); i++) {
            Object cell = cells.get(i);
            if (cell == null) {
                out.write("<td class=\"null\">null</td>");
                continue;
            }
            out.write(columns.get(i).numeric() ? "<td class=\"n\">" : "<td>");
            escaped(Cells.text(cell));
            out.write("</td>");
        }
        out.write("</tr>\n");
    }

    @Override
    public void end(long rows, boolean truncated) throws IOException {
        out.write("</tbody>\n</table>\n<p>");
        out.write(rows + (rows == 1 ? " row" : " rows"));
        if (truncated) {
            out.write(": the query had more, cut at the row limit");
        }
        out.write(".</p>\n</body>\n</html>\n");
        out.flush();
    }

    private void escaped(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.write("&amp;");
                case '<' -> out.write("&lt;");
                case '>' -> out.write("&gt;");
                case '"' -> out.write("&quot;");
                case '\'' -> out.write("&#39;");
                default -> out.write(c);
            }
        }
    }
}
