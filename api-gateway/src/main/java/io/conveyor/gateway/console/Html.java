package io.conveyor.gateway.console;

import java.net.URI;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The console's answers: HTML that is never cached and runs only the console's own scripts (a strict Content
 * Security Policy: no inline script or style, no other origin, no framing), and the redirects htmx follows.
 */
final class Html {

    static final String TYPE = "text/html;charset=utf-8";

    /** Only the console's files; htmx needs nothing else (its indicator styles are switched off, see layout.html). */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Set by htmx on the requests it sends; a form of another site cannot set it (see ConsoleActions). */
    static final String HX_REQUEST = "HX-Request";

    private Html() {}

    static Response page(int status, String html) {
        return secured(Response.status(status).type(TYPE).entity(html)).build();
    }

    static Response.ResponseBuilder secured(Response.ResponseBuilder builder) {
        return builder.header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** A plain redirect (303: the browser follows with a GET). */
    static Response seeOther(String location) {
        return secured(Response.seeOther(URI.create(location))).build();
    }

    /** After an htmx action: the browser loads {@code location}, which tells what was done. */
    static Response htmxRedirect(String location) {
        return secured(Response.noContent()).header("HX-Redirect", location).build();
    }
}
