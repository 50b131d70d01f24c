package io.conveyor.worker.handler.table;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * Writes a table (columns, then rows one at a time) to a stream in one format, holding no more than the row being
 * written: a table of millions of rows streams through. Cells are {@code null}, {@link String}, {@link Number},
 * {@link Boolean}, {@code java.time} values (written in ISO-8601), {@code byte[]} (base64) or {@link RawJson}.
 */
public interface TableWriter {

    void start(List<Column> columns) throws IOException;

    void row(List<Object> cells) throws IOException;

    /** After the last row; {@code truncated} when rows were left out at a limit (the HTML table says so). */
    void end(long rows, boolean truncated) throws IOException;

    /** A writer of {@code format} ({@code csv}, {@code jsonl}, {@code json} or {@code html}) onto {@code out}. */
    static TableWriter of(String format, OutputStream out, String title) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> new CsvTable(out);
            case "jsonl" -> new JsonTable(out, false);
            case "json" -> new JsonTable(out, true);
            case "html" -> new HtmlTable(out, title);
            default -> throw new IllegalArgumentException("Unknown table format '" + format + "'");
        };
    }

    /** The file extension of a format's artifact. */
    static String extension(String format) {
        return format.toLowerCase(Locale.ROOT);
    }
}
