package io.conveyor.gateway.rest;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.publish.TaskPublisher;
import io.conveyor.model.TaskAccepted;
import io.smallrye.common.annotation.Blocking;

/** {@code POST /api/v1/tasks}: validate, publish with confirm, answer 202. */
@Path("/api/v1/tasks")
public class TaskResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TaskRequestReader reader;
    private final TaskPublisher publisher;

    public TaskResource(TaskRequestReader reader, TaskPublisher publisher) {
        this.reader = reader;
        this.publisher = publisher;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> submit(byte[] body, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                                            @HeaderParam(Traceparents.HEADER) String traceparent) {
        return publisher.publish(reader.read(body, idempotencyKey, Traceparents.orNew(traceparent)))
                .thenApply(TaskResource::accepted);
    }

    static Response accepted(TaskAccepted task) {
        return accepted(task, task);
    }

    static Response accepted(TaskAccepted task, Object body) {
        // Set verbatim: location() would make it absolute against the request's host.
        return Response.accepted(body).header(HttpHeaders.LOCATION, "/api/v1/tasks/" + task.id()).build();
    }
}
