package io.conveyor.gateway.rest;

import java.time.Duration;
import java.util.List;

/** Ends a request with a problem+json answer; thrown by validation and mapped in one place. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;
    private final String taskType;

    public ProblemException(Problem problem) {
        this(problem, null, null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        this(problem, retryAfter, null);
    }

    private ProblemException(Problem problem, Duration retryAfter, String taskType) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
        this.taskType = taskType;
    }

    public static ProblemException badRequest(String slug, String title, String detail) {
        return new ProblemException(Problem.of(slug, title, 400, detail));
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Problem.invalid(detail, errors));
    }

    /** The same problem, about a request for this (known) task type: rejections are counted under it. */
    ProblemException about(String type) {
        return new ProblemException(problem, retryAfter, type);
    }

    public Problem problem() {
        return problem;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The catalogue type the refused request named, or null when it named none or an unknown one. */
    public String taskType() {
        return taskType;
    }
}
