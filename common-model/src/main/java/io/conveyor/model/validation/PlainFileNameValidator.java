package io.conveyor.model.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.conveyor.artifact.ArtifactNames;

/** Checks {@link PlainFileName}. */
public class PlainFileNameValidator implements ConstraintValidator<PlainFileName, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return value == null || ArtifactNames.isPlain(value);
    }
}
