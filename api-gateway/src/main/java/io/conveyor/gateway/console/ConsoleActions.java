package io.conveyor.gateway.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.ops.ControlUnavailableException;
import io.conveyor.gateway.ops.Operations;
import io.conveyor.gateway.ops.UnknownTaskTypeException;
import io.conveyor.gateway.security.ApiKeyMechanism;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The console's queue actions, pause and resume, and the checks every console action passes: an operator, and a
 * request htmx sent from the console itself. A form of another site cannot set {@code HX-Request}, and a browser
 * sends a cross-site {@code Origin} that must then match the host: so no other page can make an operator's browser
 * act, even in protected mode, where a local browser needs no key at all.
 */
@Path("/console/queues/{type}")
public class ConsoleActions {

    private final ConsolePages pages;
    private final Operations operations;
    private final SecurityIdentity identity;

    public ConsoleActions(ConsolePages pages, Operations operations, SecurityIdentity identity) {
        this.pages = pages;
        this.operations = operations;
        this.identity = identity;
    }

    @POST
    @Path("pause")
    public Response pause(
            @PathParam("type") String type,
            @HeaderParam(Html.HX_REQUEST) String htmx,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Host") String host,
            @CookieParam(ApiKeyMechanism.CONSOLE_COOKIE) String signIn) {
        return act(type, true, htmx, origin, host, signIn);
    }

    @POST
    @Path("resume")
    public Response resume(
            @PathParam("type") String type,
            @HeaderParam(Html.HX_REQUEST) String htmx,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Host") String host,
            @CookieParam(ApiKeyMechanism.CONSOLE_COOKIE) String signIn) {
        return act(type, false, htmx, origin, host, signIn);
    }

    private Response act(String type, boolean pause, String htmx, String origin, String host, String signIn) {
        Response refused = refusal(pages, Viewer.of(identity, signIn != null), htmx, origin, host);
        if (refused != null) {
            return refused;
        }
        try {
            (pause ? operations.pause(type) : operations.resume(type)).await().atMost(ConsoleResource.WAIT);
        } catch (UnknownTaskTypeException e) {
            return problem(404, e.getMessage());
        } catch (ControlUnavailableException e) {
            return problem(
                    503,
                    "Recorded, but the broker could not tell the workers at once (" + e.getMessage()
                            + "); they follow it within a heartbeat.");
        }
        return Html.htmxRedirect("/console/queues?done=" + (pause ? "paused" : "resumed") + "&type="
                + URLEncoder.encode(type, StandardCharsets.UTF_8));
    }

    /** Why this action is refused (an answer htmx shows), or null when the viewer may do it. */
    static Response refusal(ConsolePages pages, Viewer viewer, String htmx, String origin, String host) {
        if (!"true".equals(htmx) || !sameOrigin(origin, host)) {
            return problem(403, "Console actions are sent by the console's own pages only.");
        }
        if (viewer.anonymous()) {
            return problem(401, "Signed out: sign in again to act.");
        }
        if (!viewer.operates()) {
            return problem(403, "Only an operator may do this; " + viewer.name() + " is a " + viewer.role() + ".");
        }
        return null;
    }

    /** An absent Origin (same-origin requests may omit it) or one naming this host. */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getAuthority();
            return authority != null && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An error the page shows in its notice area (htmx swaps error answers there, see layout.html). */
    static Response problem(int status, String message) {
        String html = "<p class=\"notice error\" role=\"alert\">" + escape(message) + "</p>";
        return Html.page(status, html);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
