package io.conveyor.gateway.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import io.conveyor.gateway.config.GatewayConfig;

/** A long-poll's {@code ?wait=}: an ISO-8601 duration, not negative, at most {@code conveyor.state.max-wait}. */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = WaitDuration.Validator.class)
public @interface WaitDuration {

    String message() default "not an ISO-8601 duration";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Refuses what cannot be read and what exceeds the cap alike: a wait is never cut silently. */
    @ApplicationScoped
    class Validator implements ConstraintValidator<WaitDuration, String> {

        // Resolved when used: validators are built while the validation factory starts, before config mappings.
        private final Instance<GatewayConfig> config;

        public Validator(Instance<GatewayConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(String wait, ConstraintValidatorContext context) {
            Duration maxWait = config.get().state().maxWait();
            Duration parsed = parse(wait);
            HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
            if (parsed == null) {
                hibernate.withDynamicPayload(
                        "wait must be an ISO-8601 duration such as PT10S (at most " + maxWait + ")");
                return false;
            }
            if (parsed.compareTo(maxWait) > 0) {
                hibernate.withDynamicPayload(
                        "wait must be at most " + maxWait + " (an ISO-8601 duration such as PT10S)");
                hibernate.disableDefaultConstraintViolation();
                hibernate
                        .buildConstraintViolationWithTemplate("must be at most " + maxWait)
                        .addConstraintViolation();
                return false;
            }
            return true;
        }

        /** The wait a valid parameter asks for (zero when absent), or null when it is not a non-negative duration. */
        static Duration parse(String wait) {
            if (wait == null || wait.isBlank()) {
                return Duration.ZERO;
            }
            try {
                Duration parsed = Duration.parse(wait.trim());
                return parsed.isNegative() ? null : parsed;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
