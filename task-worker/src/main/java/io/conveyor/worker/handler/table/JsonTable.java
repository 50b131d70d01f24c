package io.conveyor.worker.handler.table;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;

import io.conveyor.model.Json;

/**
 * Rows as JSON objects keyed by column label: one per line (JSON lines, {@code jsonl}) or all in one array
 * ({@code json}). Numbers and booleans stay JSON numbers and booleans, json/jsonb columns are embedded as JSON, dates
 * and times are ISO-8601 strings, bytes base64 strings, SQL NULL is null.
 */
final class JsonTable implements TableWriter {

    private final JsonGenerator json;
    private final OutputStream out;
    private final boolean array;
    private List<Column> columns;

    JsonTable(OutputStream out, boolean array) {
        try {
            this.out = out;
            this.json = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
            this.json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.array = array;
    }

    @Override
    public void start(List<Column> columns) throws IOException {
        this.columns = columns;
        if (array) {
            json.writeStartArray();
        }
    }

    @Override
    public void row(List<Object> cells) throws IOException {
        if (array) {
            json.writeRaw('\n');
        }
        json.writeStartObject();
        for (int i = 0; i < cells.size(); i++) {
            json.writeFieldName(columns.get(i).label());
            cell(cells.get(i));
        }
        json.writeEndObject();
        if (!array) {
            json.flush();
            out.write('\n');
        }
    }

    private void cell(Object cell) throws IOException {
        switch (cell) {
            case null -> json.writeNull();
            case Boolean flag -> json.writeBoolean(flag);
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(number);
            case BigInteger number -> json.writeNumber(number);
            case Double number when number.isNaN() || number.isInfinite() -> json.writeString(number.toString());
            case Double number -> json.writeNumber(number);
            case Float number when number.isNaN() || number.isInfinite() -> json.writeString(number.toString());
            case Float number -> json.writeNumber(number);
            case RawJson raw -> json.writeRawValue(raw.text());
            default -> json.writeString(Cells.text(cell));
        }
    }

    @Override
    public void end(long rows, boolean truncated) throws IOException {
        if (array) {
            json.writeRaw('\n');
            json.writeEndArray();
            json.writeRaw('\n');
        }
        json.flush();
        out.flush();
    }
}
