package io.conveyor.model.payload;

import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.conveyor.model.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** resize_image's payload as JSON binds it: the defaults of fit and quality, and quality allowed with jpeg only. */
class ResizeImagePayloadTest {

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void start() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void aRequestOfBeforeKeepsItsMeaning() throws Exception {
        ResizeImagePayload payload = bind("{'source':'data:,x','width':10,'height':20}");

        assertEquals("png", payload.format());
        assertEquals("stretch", payload.fit());
        assertNull(payload.quality());
        assertEquals(List.of(), violations(payload));
    }

    @Test
    void acceptsEachFitAndAJpegQuality() throws Exception {
        for (String fit : List.of("stretch", "contain", "cover")) {
            ResizeImagePayload payload =
                    bind("{'source':'data:,x','width':10,'height':20,'format':'jpeg','fit':'" + fit + "','quality':1}");

            assertEquals(List.of(), violations(payload), fit);
        }
    }

    @Test
    void refusesAnUnknownFitAndAQualityOutOfRange() throws Exception {
        assertEquals(
                List.of("fit must be stretch, contain or cover"),
                violations(bind("{'source':'data:,x','width':10,'height':20,'fit':'fill'}")));
        assertEquals(
                List.of("quality must be less than or equal to 100"),
                violations(bind("{'source':'data:,x','width':10,'height':20,'format':'jpeg','quality':101}")));
        assertEquals(
                List.of("quality must be greater than or equal to 1"),
                violations(bind("{'source':'data:,x','width':10,'height':20,'format':'jpeg','quality':0}")));
    }

    @Test
    void refusesAQualityForPngOutputOnTheQualityField() throws Exception {
        String expected = "quality applies to jpeg output only (format is png, which is lossless)";

        assertEquals(
                List.of(expected),
                violations(bind("{'source':'data:,x','width':10,'height':20,'format':'png','quality':80}")));
        assertEquals(List.of(expected), violations(bind("{'source':'data:,x','width':10,'height':20,'quality':80}")));
    }

    private static ResizeImagePayload bind(String json) throws Exception {
        return Json.mapper().readValue(json.replace('\'', '"'), ResizeImagePayload.class);
    }

    private static List<String> violations(ResizeImagePayload payload) {
        return validator.validate(payload).stream()
                .map(v -> v.getPropertyPath() + " " + v.getMessage())
                .sorted()
                .toList();
    }
}
