package io.conveyor.client;

import java.util.List;

/**
 * An RFC 9457 problem detail as the gateway sends it ({@code application/problem+json}): the body of every error
 * answer. {@code type} is a URN such as {@code urn:conveyor:problem:validation}; {@code errors} lists each invalid
 * field of a 400 as a JSON path ({@code payload.to}, {@code options.maxAttempts}). {@code status} is 0 when no HTTP
 * answer arrived at all (the gateway was unreachable).
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    /** The problem type of a request that got no HTTP answer (connection refused, reset, timed out). */
    public static final String UNREACHABLE = "urn:conveyor:client:unreachable";

    /** The problem type of a call whose thread was interrupted while it waited. */
    public static final String INTERRUPTED = "urn:conveyor:client:interrupted";

    private static final String GATEWAY_PREFIX = "urn:conveyor:problem:";

    /**
     * One invalid field: a JSON path such as {@code payload.to} and what is wrong with it; for a batch, also the
     * {@code index} of the task it concerns ({@code -1} for the onComplete task), null otherwise.
     */
    public record FieldError(String field, String message, Integer index) {

        /** A field error that concerns no task of a batch. */
        public FieldError(String field, String message) {
            this(field, message, null);
        }
    }

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /**
     * The last segment of a gateway problem type ({@code validation}, {@code queue-full}, {@code task-not-found}),
     * or null for a type the gateway did not write.
     */
    public String slug() {
        return type != null && type.startsWith(GATEWAY_PREFIX) ? type.substring(GATEWAY_PREFIX.length()) : null;
    }
}
