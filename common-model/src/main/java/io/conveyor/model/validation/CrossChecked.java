package io.conveyor.model.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A record whose fields constrain each other (one of two fields, a field allowed only with another). The record
 * implements {@link Checks} and says what is wrong; each error is reported on the field it names, as a field
 * constraint would be, so the gateway's 400 lists {@code payload.body} rather than the payload as a whole.
 */
@Documented
@Constraint(validatedBy = CrossCheckedValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface CrossChecked {

    /** Unused: every error carries its own message. */
    String message() default "is inconsistent";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** What a {@link CrossChecked} record implements. */
    interface Checks {

        /** What is wrong across fields, empty when nothing is; not called when a field is null by itself. */
        List<FieldError> crossFieldErrors();
    }

    /**
     * One error: the field it concerns, by its JSON name, and what is wrong with it.
     *
     * @param field   the field's name in the record
     * @param message what is wrong, worded as a constraint message ("is required unless template is given")
     */
    record FieldError(String field, String message) {}
}
