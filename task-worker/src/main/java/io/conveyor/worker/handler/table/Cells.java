package io.conveyor.worker.handler.table;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** A cell as text: what CSV and HTML write. */
final class Cells {

    private Cells() {}

    /** {@code null} as the empty string, bytes as base64, decimals without exponent, times in ISO-8601. */
    static String text(Object cell) {
        return switch (cell) {
            case null -> "";
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case BigDecimal decimal -> decimal.toPlainString();
            // ISO-8601 with seconds always written (toString() drops zero seconds: 00:00Z).
            case OffsetDateTime time -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
            case LocalDateTime time -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time);
            case LocalTime time -> DateTimeFormatter.ISO_LOCAL_TIME.format(time);
            default -> cell.toString();
        };
    }
}
