package io.conveyor.gateway.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import io.conveyor.model.TaskAccepted;

/** The answers the task routes share: 202 with the task's Location, 404 for an unknown task, 415 for a bare body. */
final class TaskAnswers {

    private TaskAnswers() {}

    static Response accepted(TaskAccepted task) {
        return accepted(task, task);
    }

    static Response accepted(TaskAccepted task, Object body) {
        // Set verbatim: location() would make it absolute against the request's host.
        return Response.accepted(body)
                .header(HttpHeaders.LOCATION, "/api/v1/tasks/" + task.id())
                .build();
    }

    static Response notFound(String id) {
        return ProblemMappers.respond(
                Problem.of(
                        "task-not-found",
                        "Not Found",
                        404,
                        "No task " + id + " (unknown, or its retention has passed)"),
                null);
    }

    /**
     * Refuses a body sent without any {@code Content-Type}: {@code @Consumes} only refuses a wrong type, and the API
     * promises 415 for anything not sent as JSON.
     */
    static void requireContentType(String contentType, byte[] body) {
        if ((contentType == null || contentType.isBlank()) && body != null && body.length > 0) {
            throw new ProblemException(Problem.of(
                    "unsupported-media-type", "Unsupported Media Type", 415, "Send the body as application/json"));
        }
    }
}
