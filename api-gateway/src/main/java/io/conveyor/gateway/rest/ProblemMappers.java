package io.conveyor.gateway.rest;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.model.Json;

/** The one place where failures become problem+json answers. No stack trace ever reaches a client. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final GatewayConfig config;

    public ProblemMappers(GatewayConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(
                e.problem(), e.retryAfter() == null ? null : e.retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail =
                switch (status.getStatusCode()) {
                    case 415 -> "Send the body as application/json";
                    case 404 -> "No such resource";
                    case 405 -> "Method not allowed on this resource";
                    case 406 -> "This API answers application/json";
                    default -> status.getReasonPhrase();
                };
        return respond(Problem.of(slug(status), status.getReasonPhrase(), status.getStatusCode(), detail), null);
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
    public Response completion(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof BrokerUnavailableException b) {
            return unavailable(b);
        }
        if (cause instanceof TimeoutException t) {
            return timeout(t);
        }
        if (cause instanceof PublishRejectedException r) {
            return rejected(r);
        }
        if (cause instanceof ProblemException p) {
            return problem(p);
        }
        if (cause instanceof StateUnavailableException s) {
            return stateUnavailable(s);
        }
        return unexpected(cause == null ? e : cause);
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
