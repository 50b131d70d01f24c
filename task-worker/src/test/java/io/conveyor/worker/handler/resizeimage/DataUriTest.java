package io.conveyor.worker.handler.resizeimage;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.conveyor.worker.handler.NonRetryableException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code data:} URIs decoded in place, within the fetch byte cap; anything malformed is a permanent failure. */
class DataUriTest {

    @Test
    void decodesBase64() {
        assertArrayEquals(bytes("hello"), DataUri.decode("data:text/plain;base64,aGVs bG8=", 100));
    }

    @Test
    void decodesUrlSafeBase64() {
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff}, DataUri.decode("data:;base64,-_8=", 100));
    }

    @Test
    void decodesPercentEscapesAndUtf8() {
        assertArrayEquals(bytes("a b\u00e9"), DataUri.decode("data:,a%20b\u00e9", 100));
    }

    @Test
    void refusesMoreBytesThanTheCap() {
        NonRetryableException base64 =
                assertThrows(NonRetryableException.class, () -> DataUri.decode("data:;base64,aGVsbG8=", 4));
        NonRetryableException plain = assertThrows(NonRetryableException.class, () -> DataUri.decode("data:,hello", 4));

        assertEquals("The data: URI holds more than 4 bytes", base64.getMessage());
        assertEquals("The data: URI holds more than 4 bytes", plain.getMessage());
    }

    @Test
    void refusesAUriWithoutAComma() {
        NonRetryableException refused =
                assertThrows(NonRetryableException.class, () -> DataUri.decode("data:image/png;base64", 100));

        assertEquals("A data: URI needs a comma before its data", refused.getMessage());
    }

    @Test
    void refusesABadPercentEscape() {
        NonRetryableException refused =
                assertThrows(NonRetryableException.class, () -> DataUri.decode("data:,a%zz", 100));

        assertEquals("The data: URI has a bad %-escape at character 1", refused.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
