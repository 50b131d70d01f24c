package io.conveyor.worker.handler.resizeimage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import io.conveyor.worker.handler.NonRetryableException;

/** {@code data:[<media type>][;base64],<data>} (RFC 2397), decoded within the same byte limit as a download. */
final class DataUri {

    private DataUri() {}

    static byte[] decode(String uri, long maxBytes) {
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw new NonRetryableException("A data: URI needs a comma before its data");
        }
        boolean base64 = uri.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64");
        String data = uri.substring(comma + 1);
        if (base64) {
            String text = percentDecode(data, data.length())
                    .toString(StandardCharsets.US_ASCII)
                    .replaceAll("\\s", "");
            if (text.length() / 4 * 3L > maxBytes + 2) {
                throw new NonRetryableException("The data: URI holds more than " + maxBytes + " bytes");
            }
            try {
                byte[] bytes = (text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                                ? Base64.getUrlDecoder()
                                : Base64.getDecoder())
                        .decode(text);
                if (bytes.length > maxBytes) {
                    throw new NonRetryableException("The data: URI holds more than " + maxBytes + " bytes");
                }
                return bytes;
            } catch (IllegalArgumentException e) {
                throw new NonRetryableException("The data: URI is not valid base64: " + e.getMessage());
            }
        }
        return percentDecode(data, maxBytes).toByteArray();
    }

    /** %XX escapes to bytes, other characters as UTF-8; never more than {@code maxBytes}. */
    private static ByteArrayOutputStream percentDecode(String data, long maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(data.length(), 1 << 16));
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '%') {
                int hi = i + 2 < data.length() ? Character.digit(data.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(data.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new NonRetryableException("The data: URI has a bad %-escape at character " + i);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int codePoint = data.codePointAt(i);
                out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
            if (out.size() > maxBytes) {
                throw new NonRetryableException("The data: URI holds more than " + maxBytes + " bytes");
            }
        }
        return out;
    }
}
