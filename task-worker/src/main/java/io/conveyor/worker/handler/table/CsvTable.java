package io.conveyor.worker.handler.table;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 CSV in UTF-8: a header row of column labels, CRLF line ends, a field quoted when it holds a comma, a quote
 * or a line break (quotes doubled). A SQL NULL is an empty field.
 */
final class CsvTable implements TableWriter {

    private final Writer out;

    CsvTable(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void start(List<Column> columns) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            field(i, columns.get(i).label());
        }
        out.write("\r\n");
    }

    @Override
    public void row(List<Object> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            field(i, Cells.text(cells.get(i)));
        }
        out.write("\r\n");
    }

    @Override
    public void end(long rows, boolean truncated) throws IOException {
        out.flush();
    }

    private void field(int index, String value) throws IOException {
        if (index > 0) {
            out.write(',');
        }
        if (needsQuotes(value)) {
            out.write('"');
            out.write(value.replace("\"", "\"\""));
            out.write('"');
        } else {
            out.write(value);
        }
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
