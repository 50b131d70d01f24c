package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.List;

/** Ends a request with a problem+json answer; thrown by validation and mapped in one place. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static ProblemException badRequest(String slug, String title, String detail) {
        return new ProblemException(Problem.of(slug, title, 400, detail));
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(
                new Problem(Problem.typeUri("validation"), "Invalid task request", 400, detail, errors));
    }

    public Problem problem() {
        return problem;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
