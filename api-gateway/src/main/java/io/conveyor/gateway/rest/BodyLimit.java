package io.conveyor.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.conveyor.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Answers 413 problem+json to a body announced larger than {@code conveyor.max-body-bytes}, before it is read.
 * A chunked body without a length is cut by {@code quarkus.http.limits.max-body-size} instead.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, GatewayConfig config) {
        long limit = config.maxBodyBytes();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, limit)) {
                ctx.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"type\":\"urn:conveyor:problem:payload-too-large\",\"title\":\"Payload Too Large\","
                                + "\"status\":413,\"detail\":\"The body is larger than " + limit + " bytes\"}");
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLong(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
