package io.conveyor.gateway.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import io.conveyor.model.TaskCatalogue;

/** A query parameter naming a task type of the catalogue; absent is fine. */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownTaskType.Validator.class)
public @interface KnownTaskType {

    String message() default "unknown task type";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks the name against the catalogue; the problem's detail lists the known types. */
    @ApplicationScoped
    class Validator implements ConstraintValidator<KnownTaskType, String> {

        // Resolved when used: validators are built while the validation factory starts, before config mappings.
        private final Instance<TaskCatalogue> catalogues;

        public Validator(Instance<TaskCatalogue> catalogues) {
            this.catalogues = catalogues;
        }

        @Override
        public boolean isValid(String type, ConstraintValidatorContext context) {
            TaskCatalogue catalogue = catalogues.get();
            if (type == null || catalogue.find(type).isPresent()) {
                return true;
            }
            context.unwrap(HibernateConstraintValidatorContext.class)
                    .withDynamicPayload("Unknown task type '" + type + "'; known types: " + catalogue.names());
            return false;
        }
    }
}
