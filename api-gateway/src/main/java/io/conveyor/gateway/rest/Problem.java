package io.conveyor.gateway.rest;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail: the body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(@NotNull String type, @NotNull String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid field: a JSON path such as {@code payload.to} or {@code options.maxAttempts}; in a batch, the path
     * within the body ({@code tasks[3].payload.to}) and the {@code index} of the task it concerns (null otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(@NotNull String field, @NotNull String message, Integer index) {

        public FieldError(String field, String message) {
            this(field, message, null);
        }
    }

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(typeUri(slug), title, status, detail, List.of());
    }

    /** A 400 listing each invalid field, for bodies and query parameters alike. */
    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(typeUri("validation"), "Invalid task request", 400, detail, errors);
    }

    /** The last segment of the type URI, e.g. {@code validation}: the reason rejections are counted under. */
    public String slug() {
        return type.substring(type.lastIndexOf(':') + 1);
    }

    static String typeUri(String slug) {
        return "urn:conveyor:problem:" + slug;
    }
}
