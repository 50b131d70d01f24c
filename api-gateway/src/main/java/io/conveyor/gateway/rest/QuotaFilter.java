package io.conveyor.gateway.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.conveyor.gateway.quota.QuotaDecision;
import io.conveyor.gateway.quota.QuotaLimiter;
import io.conveyor.gateway.quota.Rate;
import io.conveyor.gateway.security.ApiKeyIdentityProvider;
import io.conveyor.gateway.security.ApiKeyMechanism;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Per-client quotas on every API request of a client with a key: over its rate, 429 with {@code Retry-After} and
 * nothing done; within it, the answer carries the IETF {@code RateLimit} and {@code RateLimit-Policy} headers.
 * Requests without a key (protected mode's local callers, refused ones) are not counted.
 */
public class QuotaFilter {

    private static final String DECISION = "conveyor.quota.decision";

    private final QuotaLimiter limiter;
    private final SecurityIdentity identity;

    public QuotaFilter(QuotaLimiter limiter, SecurityIdentity identity) {
        this.limiter = limiter;
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        if (!counted(identity)) {
            return Uni.createFrom().nullItem();
        }
        String client = identity.getPrincipal().getName();
        return limiter.acquire(client, rateOf(identity, limiter)).map(decision -> {
            request.setProperty(DECISION, decision);
            if (decision.allowed()) {
                return null;
            }
            Response refusal = ProblemMappers.respond(
                    Problem.of(
                            "rate-limited",
                            "Too Many Requests",
                            429,
                            "Client '" + client + "' is over its rate of " + decision.rate()
                                    + " (bursts up to "
                                    + decision.rate().burst() + "); nothing was done. Retry after "
                                    + decision.retryAfterSeconds() + " s"),
                    decision.retryAfterSeconds());
            Response.ResponseBuilder builder = Response.fromResponse(refusal);
            decision.headers().forEach(builder::header);
            return builder.build();
        });
    }

    /** Whether the caller's requests count against a quota: those with a key, not protected mode's local ones. */
    static boolean counted(SecurityIdentity identity) {
        return !identity.isAnonymous() && !ApiKeyMechanism.isLocal(identity);
    }

    /** The caller's own rate from the keys file, else the default. */
    static Rate rateOf(SecurityIdentity identity, QuotaLimiter limiter) {
        Rate own = identity.getAttribute(ApiKeyIdentityProvider.RATE);
        return own != null ? own : limiter.defaultRate();
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof QuotaDecision decision
                && !response.getHeaders().containsKey(QuotaDecision.RATE_LIMIT_HEADER)) {
            decision.headers().forEach(response.getHeaders()::putSingle);
        }
    }
}
