package io.conveyor.gateway.rest;

import java.util.List;

/** Ends a request with a problem+json answer; thrown by validation and mapped in one place. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final String taskType;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, String taskType) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
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
        return new ProblemException(problem, type);
    }

    public Problem problem() {
        return problem;
    }

    /** The catalogue type the refused request named, or null when it named none or an unknown one. */
    public String taskType() {
        return taskType;
    }
}
