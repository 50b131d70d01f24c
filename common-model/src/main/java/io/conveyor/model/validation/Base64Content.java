package io.conveyor.model.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * Bytes as base64 text (RFC 4648's standard alphabet with its {@code =} padding, no line breaks) that decode to at
 * most {@link #maxBytes()} bytes. Null is valid.
 */
@Documented
@Constraint(validatedBy = Base64ContentValidator.class)
@Target({
    ElementType.FIELD,
    ElementType.METHOD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE
})
@Retention(RetentionPolicy.RUNTIME)
public @interface Base64Content {

    /** Most bytes the text may decode to. */
    int maxBytes();

    String message() default "must be base64 (standard alphabet, padded, no line breaks) of at most {maxBytes} bytes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
