package io.conveyor.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A call the gateway refused or could not answer, with the problem detail it sent. The subclasses name the cases a
 * producer handles differently; anything else (413, 415, 500, an answer from a proxy) is this class itself.
 */
public class ConveyorException extends RuntimeException {

    private final transient Problem problem;
    private final transient Duration retryAfter;

    public ConveyorException(Problem problem) {
        this(problem, null, null);
    }

    public ConveyorException(Problem problem, Duration retryAfter, Throwable cause) {
        super(message(problem), cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.retryAfter = retryAfter;
    }

    /** The problem detail: the gateway's body, or one the client wrote when the answer carried none. */
    public Problem problem() {
        return problem;
    }

    /** The HTTP status, 0 when no answer arrived. */
    public int status() {
        return problem.status();
    }

    /** How long the gateway asked the client to wait ({@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String message(Problem problem) {
        StringBuilder text = new StringBuilder();
        text.append(problem.status() == 0 ? "no answer" : String.valueOf(problem.status()));
        if (problem.title() != null) {
            text.append(' ').append(problem.title());
        }
        if (problem.detail() != null) {
            text.append(": ").append(problem.detail());
        }
        problem.errors()
                .forEach(e -> text.append("; ").append(e.field()).append(' ').append(e.message()));
        return text.toString();
    }
}
