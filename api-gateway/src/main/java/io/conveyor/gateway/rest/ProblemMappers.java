package io.conveyor.gateway.rest;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.hibernate.validator.engine.HibernateConstraintViolation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.ops.ControlUnavailableException;
import io.conveyor.gateway.ops.UnknownTaskTypeException;
import io.conveyor.gateway.publish.BatchPartlyAcceptedException;
import io.conveyor.gateway.publish.QueueFullException;
import io.conveyor.gateway.state.IdempotencyKeyInProgressException;
import io.conveyor.gateway.state.IdempotencyKeyReusedException;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.Json;

/** The one place where failures become problem+json answers. No stack trace ever reaches a client. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** A request with the same key is nearly done: a second is usually enough. */
    private static final long IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

    private final GatewayConfig config;

    public ProblemMappers(GatewayConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem(), null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() == 404 && e.getCause() != null) {
            // JAX-RS answers 404 when a query parameter does not convert (?limit=abc); the route exists, the
            // request is wrong. Every path parameter here is a plain string, so no real 404 has a cause.
            return respond(
                    Problem.of(
                            "invalid-parameter",
                            "Bad Request",
                            400,
                            "A query parameter has the wrong type (limit is a whole number): "
                                    + e.getCause().getMessage()),
                    null);
        }
        String detail = switch (status.getStatusCode()) {
            case 415 -> "Send the body as application/json";
            case 404 -> "No such resource";
            case 405 -> "Method not allowed on this resource";
            case 406 -> "This API answers application/json";
            default -> status.getReasonPhrase();
        };
        return respond(Problem.of(slug(status), status.getReasonPhrase(), status.getStatusCode(), detail), null);
    }

    @ServerExceptionMapper
    public Response unknownType(UnknownTaskTypeException e) {
        return respond(Problem.of("unknown-task-type", "Not Found", 404, e.getMessage()), null);
    }

    /** Redis has the pause or resume; the workers follow it at their next heartbeat even without the message. */
    @ServerExceptionMapper
    public Response controlUnavailable(ControlUnavailableException e) {
        LOG.warnf("A pause or resume could not be announced on the broker: %s", e.getMessage());
        return brokerProblem("The change is recorded in Redis, but the broker could not announce it to the workers ("
                + e.getMessage() + "); they follow it within a heartbeat. Retry to announce it at once.");
    }

    @ServerExceptionMapper
    public Response unavailable(BrokerUnavailableException e) {
        LOG.warnf("Refusing a task, broker unavailable: %s", e.getMessage());
        return brokerProblem("The broker is unreachable; nothing was accepted. Retry later.");
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        LOG.warn("Refusing a task, the broker did not confirm in time");
        return brokerProblem("The broker did not confirm the task in time. It may still run: retry with the same "
                + "Idempotency-Key to be safe.");
    }

    @ServerExceptionMapper
    public Response rejected(PublishRejectedException e) {
        LOG.warnf("Refusing a task, the broker rejected it: %s", e.getMessage());
        return brokerProblem("The broker refused the task (" + e.getMessage() + "); nothing was accepted.");
    }

    /** Backpressure, not a fault: counted in conveyor_tasks_rejected_total{reason="queue-full"}, logged at debug. */
    @ServerExceptionMapper
    public Response queueFull(QueueFullException e) {
        LOG.debugf("Refusing a task: %s", e.getMessage());
        return respond(
                Problem.of(
                        "queue-full", "Task queue full", 503, e.getMessage() + "; nothing was accepted, retry later."),
                config.publish().retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response partlyAccepted(BatchPartlyAcceptedException e) {
        LOG.warnf("%s", e.getMessage());
        return respond(
                Problem.of(
                        "batch-partly-accepted",
                        "Service Unavailable",
                        503,
                        e.getMessage() + "; follow it at /api/v1/batches/" + e.batchId()),
                config.publish().retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response stateUnavailable(StateUnavailableException e) {
        LOG.warnf("State store unavailable: %s", e.getMessage());
        return respond(
                Problem.of(
                        "state-unavailable",
                        "Service Unavailable",
                        503,
                        "The task state store (Redis) is unreachable; task submission still works. Retry later."),
                config.publish().retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e) {
        return respond(
                Problem.of(
                        "idempotency-key-reused",
                        "Idempotency key reused",
                        422,
                        "This Idempotency-Key was used within its window for a different request"),
                null);
    }

    @ServerExceptionMapper
    public Response keyInProgress(IdempotencyKeyInProgressException e) {
        return respond(
                Problem.of(
                        "idempotency-key-in-progress",
                        "Request in progress",
                        409,
                        "A request with this Idempotency-Key is still being accepted; retry shortly"),
                IN_PROGRESS_RETRY_AFTER_SECONDS);
    }

    /** Invalid query parameters ({@code limit}, {@code type}, {@code status}, {@code wait}): one 400 listing each. */
    @ServerExceptionMapper
    public Response invalidParameters(ConstraintViolationException e) {
        List<ConstraintViolation<?>> violations = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(ProblemMappers::parameterOf))
                .toList();
        List<Problem.FieldError> errors = violations.stream()
                .map(v -> new Problem.FieldError(parameterOf(v), v.getMessage()))
                .toList();
        return respond(Problem.invalid(detailOf(violations.get(0)), errors), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure answering a request", e);
        return respond(
                Problem.of(
                        "internal",
                        "Internal Server Error",
                        500,
                        "An unexpected error occurred; it was logged. Nothing was accepted."),
                null);
    }

    private Response brokerProblem(String detail) {
        return respond(
                Problem.of("broker-unavailable", "Service Unavailable", 503, detail),
                config.publish().retryAfter().toSeconds());
    }

    /** The parameter's name: the last node of the violation's path (method, then parameter). */
    private static String parameterOf(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return String.valueOf(name);
    }

    /** The constraint's own sentence when it gave one (naming what is allowed), else the parameter and message. */
    private static String detailOf(ConstraintViolation<?> violation) {
        if (violation instanceof HibernateConstraintViolation<?> h) {
            String detail = h.getDynamicPayload(String.class);
            if (detail != null) {
                return detail;
            }
        }
        return parameterOf(violation) + " " + violation.getMessage();
    }

    private static String slug(Response.StatusType status) {
        return status.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    static Response respond(Problem problem, Long retryAfterSeconds) {
        String body;
        try {
            body = Json.mapper().writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"title\":\"" + problem.title() + "\",\"status\":" + problem.status() + "}";
        }
        Response.ResponseBuilder builder =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body);
        if (retryAfterSeconds != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfterSeconds));
        }
        return builder.build();
    }
}
