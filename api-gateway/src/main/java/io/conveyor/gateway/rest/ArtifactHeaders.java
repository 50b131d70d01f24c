package io.conveyor.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.conveyor.artifact.StoredArtifact;

/**
 * The HTTP rules of an artifact download, apart from the route that applies them: its validators ({@code ETag},
 * {@code Last-Modified}), the conditions that compare against them ({@code If-None-Match}, {@code If-Range}), and
 * how the file is described ({@code Content-Type}, {@code Content-Disposition}).
 */
final class ArtifactHeaders {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private ArtifactHeaders() {}

    /** {@code Last-Modified}'s form (RFC 9110's IMF-fixdate). */
    static String httpDate(Instant when) {
        return HTTP_DATE.format(when);
    }

    /**
     * A strong ETag: the SHA-256 the result records (resize_image) while the file still has the size it recorded,
     * otherwise one made of the file's size and time of last change.
     */
    static String etag(JsonNode result, StoredArtifact artifact) {
        JsonNode sha256 = result == null ? null : result.get("sha256");
        JsonNode bytes = result == null ? null : result.get("bytes");
        if (sha256 != null
                && sha256.isTextual()
                && sha256.asText().matches("[0-9a-fA-F]{64}")
                && (bytes == null || (bytes.canConvertToLong() && bytes.asLong() == artifact.size()))) {
            return "\"" + sha256.asText().toLowerCase(Locale.ROOT) + "\"";
        }
        return "\"" + Long.toHexString(artifact.size()) + "-"
                + Long.toHexString(artifact.lastModified().toEpochMilli()) + "\"";
    }

    /** {@code If-None-Match}: {@code *} or a list of tags, compared weakly (a {@code W/} prefix is ignored). */
    static boolean matchesAny(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*")) {
                return true;
            }
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code If-Range}: a range is served only while the file is the one the client has, by its strong ETag or its
     * exact Last-Modified date; otherwise the whole file is sent.
     */
    static boolean ifRangeHolds(String ifRange, String etag, Instant modified) {
        if (ifRange == null || ifRange.isBlank()) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value))
                    .equals(modified);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * {@code Content-Security-Policy} of every download: a document that a browser renders anyway (an HTML report)
     * runs in a sandbox without scripts, loads nothing, and may only style itself.
     */
    static final String SANDBOX_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "csv" -> "text/csv; charset=utf-8";
            case "json" -> "application/json";
            case "jsonl" -> "application/jsonl";
            // A report page. Served as an attachment, with SANDBOX_POLICY: a browser that opens it runs nothing.
            case "html" -> "text/html; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    /**
     * {@code attachment; filename="<name>"}; a name beyond printable ASCII also goes as {@code filename*} (RFC 6266),
     * with an ASCII stand-in in {@code filename}. Names are plain: no quote, backslash or control character.
     */
    static String contentDisposition(String name) {
        boolean ascii = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (ascii) {
            return "attachment; filename=\"" + name + "\"";
        }
        StringBuilder fallback = new StringBuilder();
        name.chars().forEach(c -> fallback.append(c >= 0x20 && c < 0x7f ? (char) c : '_'));
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((Character.isLetterOrDigit(c) && c < 0x80) || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }
}
