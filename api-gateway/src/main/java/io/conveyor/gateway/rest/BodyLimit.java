package io.conveyor.gateway.rest;

import java.io.ByteArrayInputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.conveyor.gateway.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Answers 413 problem+json to a body larger than {@code conveyor.max-body-bytes}, before any resource sees it. A
 * body announced by Content-Length is refused before it is read; a body without a length (chunked) is read here,
 * counting, and refused as soon as it passes the limit. {@code quarkus.http.limits.max-body-size} is bound to the
 * same value, as a backstop only: its own 413 has no problem body.
 */
@ApplicationScoped
public class BodyLimit {

    static final int PAYLOAD_TOO_LARGE = 413;

    void install(@Observes Router router, GatewayConfig config) {
        long limit = config.maxBodyBytes();
        // Fails the request with 413 once more than the limit arrived; else the resource takes the body it read.
        BodyHandler counting = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                if (tooLong(length, limit)) {
                    tooLarge(ctx, limit);
                } else {
                    ctx.next();
                }
            } else if (unannouncedBody(request)) {
                counting.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == PAYLOAD_TOO_LARGE && !ctx.response().headWritten()) {
                tooLarge(ctx, limit);
            } else {
                ctx.next();
            }
        });
    }

    /**
     * Gives a body read by {@link #install} to Quarkus REST as the entity stream. Left to find it in the routing
     * context itself, Quarkus REST copies a body larger than its input buffer (10 KiB) as zeros (Quarkus issue
     * 48777).
     */
    @ServerRequestFilter(preMatching = true)
    public void handOverReadBody(ContainerRequestContext request, RoutingContext routing) {
        Buffer body = routing.body().buffer();
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }

    /**
     * A chunked HTTP/1.1 body, the one kind of body without a length read (and counted) here. Never an HTTP/2 request:
     * Quarkus REST pauses every request it takes, and Vert.x refuses to pause an HTTP/2 stream that has ended, so a
     * body read here would turn the request into a 500 (it did, for every HTTP/2 GET). HTTP/2 clients announce the
     * length of the bodies they know (curl, browsers and the JDK's HttpClient do); a stream without one is left to
     * the backstop, quarkus.http.limits.max-body-size.
     */
    private static boolean unannouncedBody(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static void tooLarge(RoutingContext ctx, long limit) {
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            // The unread rest of the body would be taken for the next request. HTTP/2 forbids the header: ending the
            // response ends the stream, and the connection's other streams go on.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response()
                .setStatusCode(PAYLOAD_TOO_LARGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end("{\"type\":\"urn:conveyor:problem:payload-too-large\",\"title\":\"Payload Too Large\","
                        + "\"status\":413,\"detail\":\"The body is larger than " + limit + " bytes\"}");
    }

    private static boolean tooLong(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
