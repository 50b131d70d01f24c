package io.conveyor.worker.handler.dbquery;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.conveyor.worker.handler.table.Column;
import io.conveyor.worker.handler.table.RawJson;

/**
 * A result's columns as the table writers take them: a unique label and whether it is numeric for each, and each
 * row's cells read by the column's JDBC type (numbers as Long, BigDecimal or Double, dates and times as {@code
 * java.time} values, {@code timestamptz} with its offset, bytes as {@code byte[]}, {@code json}/{@code jsonb} as
 * {@link RawJson}, anything else as text; SQL NULL as null).
 */
final class ResultColumns {

    private final int[] types;
    private final String[] typeNames;
    private final List<Column> columns;

    ResultColumns(ResultSetMetaData meta) throws SQLException {
        types = new int[meta.getColumnCount()];
        typeNames = new String[types.length];
        List<Column> described = new ArrayList<>(types.length);
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < types.length; i++) {
            types[i] = meta.getColumnType(i + 1);
            typeNames[i] = String.valueOf(meta.getColumnTypeName(i + 1)).toLowerCase(Locale.ROOT);
            described.add(new Column(unique(meta.getColumnLabel(i + 1), labels), isNumeric(types[i])));
        }
        columns = List.copyOf(described);
    }

    List<Column> columns() {
        return columns;
    }

    /** The current row's cells, into {@code cells} (one per column). */
    void read(ResultSet rows, Object[] cells) throws SQLException {
        for (int i = 0; i < types.length; i++) {
            cells[i] = cell(rows, i + 1, types[i], typeNames[i]);
        }
    }

    /** A column label, suffixed {@code _2}, {@code _3}... when an earlier column has it (a join's two {@code id}s). */
    static String unique(String label, Set<String> taken) {
        String candidate = label;
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = label + "_" + n;
        }
        return candidate;
    }

    static boolean isNumeric(int type) {
        return switch (type) {
            case Types.TINYINT,
                    Types.SMALLINT,
                    Types.INTEGER,
                    Types.BIGINT,
                    Types.NUMERIC,
                    Types.DECIMAL,
                    Types.REAL,
                    Types.FLOAT,
                    Types.DOUBLE -> true;
            default -> false;
        };
    }

    /** One cell as the table writers take it; SQL NULL is null. */
    static Object cell(ResultSet rows, int column, int type, String typeName) throws SQLException {
        Object value = switch (type) {
            case Types.BIT, Types.BOOLEAN -> rows.getBoolean(column);
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rows.getLong(column);
            case Types.NUMERIC, Types.DECIMAL -> rows.getBigDecimal(column);
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> rows.getDouble(column);
            case Types.DATE -> rows.getObject(column, LocalDate.class);
            case Types.TIME -> rows.getObject(column, LocalTime.class);
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE ->
                typeName.equals("timestamptz") || type == Types.TIMESTAMP_WITH_TIMEZONE
                        ? rows.getObject(column, OffsetDateTime.class)
                        : rows.getObject(column, LocalDateTime.class);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> rows.getBytes(column);
            default -> {
                String text = rows.getString(column);
                yield text != null && (typeName.equals("json") || typeName.equals("jsonb")) ? new RawJson(text) : text;
            }
        };
        return rows.wasNull() ? null : value;
    }
}
