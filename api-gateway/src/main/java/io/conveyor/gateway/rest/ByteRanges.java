package io.conveyor.gateway.rest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header asks of a file of a given size (RFC 9110, section 14): the whole file, one part of
 * it, or nothing it has. One range only: a header with several, or one that does not parse, is ignored and the whole
 * file sent, as the RFC allows. Pure.
 */
sealed interface ByteRanges {

    /** The whole file, with 200: no {@code Range}, or one this server ignores. */
    record Whole() implements ByteRanges {}

    /** Bytes {@code first..last} (inclusive, within the file), with 206. */
    record Part(long first, long last) implements ByteRanges {

        long length() {
            return last - first + 1;
        }

        /** The {@code Content-Range} value: {@code bytes first-last/size}. */
        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** A range that starts past the end (or a suffix of none), with 416. */
    record Unsatisfiable() implements ByteRanges {}

    Pattern ONE = Pattern.compile("bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    static ByteRanges of(String header, long size) {
        if (header == null || header.isBlank()) {
            return new Whole();
        }
        Matcher m = ONE.matcher(header.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Whole();
        }
        if (m.group(1).isEmpty()) {
            long suffix = number(m.group(2));
            return suffix == 0 || size == 0 ? new Unsatisfiable() : new Part(Math.max(0, size - suffix), size - 1);
        }
        long first = number(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : number(m.group(2));
        if (last < first) {
            return new Whole();
        }
        return first >= size ? new Unsatisfiable() : new Part(first, Math.min(last, size - 1));
    }

    /** Digits as a number; one too large for a long is as good as infinite here. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
