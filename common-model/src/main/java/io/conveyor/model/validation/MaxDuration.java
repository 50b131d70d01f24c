package io.conveyor.model.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** A {@link java.time.Duration} that is not negative and at most {@link #value()} (ISO-8601). Null is valid. */
@Documented
@Constraint(validatedBy = MaxDurationValidator.class)
@Target({
    ElementType.FIELD,
    ElementType.METHOD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE
})
@Retention(RetentionPolicy.RUNTIME)
public @interface MaxDuration {

    /** Upper bound, ISO-8601, inclusive. */
    String value();

    String message() default "must be an ISO-8601 duration between PT0S and {value}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
