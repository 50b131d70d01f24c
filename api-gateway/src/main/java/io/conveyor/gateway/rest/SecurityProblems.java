package io.conveyor.gateway.rest;

import java.util.TreeSet;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.conveyor.gateway.security.ApiKeyMechanism;
import io.conveyor.gateway.security.ApiKeyMechanism.Refusal;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** 401 and 403 as problem+json: what was missing and how to fix it, never which keys exist. */
public class SecurityProblems {

    private final CurrentVertxRequest request;
    private final SecurityIdentity identity;

    public SecurityProblems(CurrentVertxRequest request, SecurityIdentity identity) {
        this.request = request;
        this.identity = identity;
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        Object refusal =
                request.getCurrent() == null ? null : request.getCurrent().get(ApiKeyMechanism.REFUSAL);
        String detail;
        if (refusal == Refusal.UNKNOWN_KEY) {
            detail = "The API key is not valid";
        } else if (refusal == Refusal.NOT_BEARER) {
            detail = "Send the API key as Authorization: Bearer <key>";
        } else if (refusal == Refusal.NOT_LOCAL) {
            detail = "This gateway has no API keys configured and serves requests without a key only from local "
                    + "addresses (protected mode). Configure keys with CONVEYOR_API_KEYS_FILE (create one with "
                    + "scripts/new-api-key.sh) and send Authorization: Bearer <key>";
        } else {
            detail = "This operation needs an API key: Authorization: Bearer <key>";
        }
        return unauthorized(detail);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        if (ApiKeyMechanism.isLocal(identity)) {
            // Protected mode with an admin token: the local caller may do everything but the operator's part.
            return unauthorized(
                    "This operation needs the operator key (CONVEYOR_ADMIN_TOKEN): Authorization: Bearer " + "<key>");
        }
        return ProblemMappers.respond(
                Problem.of(
                        "forbidden",
                        "Forbidden",
                        403,
                        "The client '" + identity.getPrincipal().getName() + "' has no role that may do this (roles: "
                                + String.join(",", new TreeSet<>(identity.getRoles())) + ")"),
                null);
    }

    private static Response unauthorized(String detail) {
        Response response = ProblemMappers.respond(Problem.of("unauthorized", "Unauthorized", 401, detail), null);
        return Response.fromResponse(response)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
