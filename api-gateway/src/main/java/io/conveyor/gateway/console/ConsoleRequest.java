package io.conveyor.gateway.console;

import java.net.URI;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.security.ApiKeyMechanism;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * What every console request carries besides its own parameters: the sign-in cookie, and for actions the headers
 * that show it came from the console's own page. A form of another site cannot set {@code HX-Request}, and a browser
 * sends a cross-site {@code Origin} that must then match the host: so no other page can make an operator's browser
 * act, even in protected mode, where a local browser needs no key at all.
 */
public class ConsoleRequest {

    @HeaderParam(Html.HX_REQUEST)
    String htmx;

    @HeaderParam("Origin")
    String origin;

    @HeaderParam("Host")
    String host;

    @CookieParam(ApiKeyMechanism.CONSOLE_COOKIE)
    String signIn;

    /** Who sends it, as the console sees them. */
    Viewer viewer(SecurityIdentity identity) {
        return Viewer.of(identity, signIn != null);
    }

    /** True for a request htmx sent from a console page (not from another site's form or script). */
    boolean fromConsolePage() {
        return "true".equals(htmx) && sameOrigin(origin, host);
    }

    /** Why this action is refused (an answer htmx shows), or null when {@code identity} may do it. */
    Response actionRefusal(SecurityIdentity identity) {
        Viewer viewer = viewer(identity);
        if (!fromConsolePage()) {
            return ConsoleActions.problem(403, "Console actions are sent by the console's own pages only.");
        }
        if (viewer.anonymous()) {
            return ConsoleActions.problem(401, "Signed out: sign in again to act.");
        }
        if (!viewer.operates()) {
            return ConsoleActions.problem(
                    403, "Only an operator may do this; " + viewer.name() + " is a " + viewer.role() + ".");
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
            String authority = URI.create(origin).getAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
