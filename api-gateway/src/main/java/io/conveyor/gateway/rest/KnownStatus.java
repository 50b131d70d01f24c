package io.conveyor.gateway.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import io.conveyor.model.TaskStatus;

/** A query parameter naming a task status, in any case; absent is fine. */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownStatus.Validator.class)
public @interface KnownStatus {

    String message() default "unknown status";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks the name against {@link TaskStatus}; the problem's detail lists the statuses. */
    class Validator implements ConstraintValidator<KnownStatus, String> {

        @Override
        public boolean isValid(String status, ConstraintValidatorContext context) {
            if (status == null || parse(status) != null) {
                return true;
            }
            context.unwrap(HibernateConstraintValidatorContext.class)
                    .withDynamicPayload(
                            "Unknown status '" + status + "'; one of " + Arrays.toString(TaskStatus.values()));
            return false;
        }

        /** The status a valid parameter names, null for an absent or unknown one. */
        static TaskStatus parse(String status) {
            if (status == null) {
                return null;
            }
            try {
                return TaskStatus.valueOf(status.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
