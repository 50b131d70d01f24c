package io.conveyor.model.validation;

import java.time.Duration;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link MaxDuration}. */
public class MaxDurationValidator implements ConstraintValidator<MaxDuration, Duration> {

    private Duration max;

    @Override
    public void initialize(MaxDuration annotation) {
        max = Duration.parse(annotation.value());
    }

    @Override
    public boolean isValid(Duration value, ConstraintValidatorContext context) {
        return value == null || (!value.isNegative() && value.compareTo(max) <= 0);
    }
}
