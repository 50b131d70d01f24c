package io.conveyor.model.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import io.conveyor.artifact.ArtifactNames;

/** A plain file name as {@link ArtifactNames#isPlain} defines it: never a path. Null is valid. */
@Documented
@Constraint(validatedBy = PlainFileNameValidator.class)
@Target({
    ElementType.FIELD,
    ElementType.METHOD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE
})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainFileName {

    String message() default
            "must be a plain file name of 1 to 255 characters: no path separator, '..', '\"', control character"
                    + " or leading dot";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
