package io.conveyor.model.validation;

import java.util.Base64;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link Base64Content}: the size from the text's length first, then decodes only text within the cap. */
public class Base64ContentValidator implements ConstraintValidator<Base64Content, String> {

    private int maxBytes;

    @Override
    public void initialize(Base64Content annotation) {
        maxBytes = annotation.maxBytes();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        return decodedLength(value) <= maxBytes && decodes(value);
    }

    /** What well-formed text of this length decodes to; the decoder refuses any other length. */
    static long decodedLength(String text) {
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        return (long) text.length() / 4 * 3 - padding;
    }

    private static boolean decodes(String text) {
        try {
            Base64.getDecoder().decode(text);
            return text.length() % 4 == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
