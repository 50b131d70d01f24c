package io.conveyor.model.validation;

import java.util.List;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link CrossChecked}: one violation per {@link CrossChecked.FieldError}, on the field it names. */
public class CrossCheckedValidator implements ConstraintValidator<CrossChecked, CrossChecked.Checks> {

    @Override
    public boolean isValid(CrossChecked.Checks value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        List<CrossChecked.FieldError> errors = value.crossFieldErrors();
        if (errors.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (CrossChecked.FieldError error : errors) {
            context.buildConstraintViolationWithTemplate(literal(error.message()))
                    .addPropertyNode(error.field())
                    .addConstraintViolation();
        }
        return false;
    }

    /** The message as a template that interpolates nothing: braces and dollars are escaped. */
    private static String literal(String message) {
        return message.replaceAll("([\\\\{}$])", "\\\\$1");
    }
}
