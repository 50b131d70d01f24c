package io.conveyor.gateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.ops.ControlUnavailableException;
import io.conveyor.gateway.ops.Operations;
import io.conveyor.gateway.ops.UnknownTaskTypeException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The console's queue actions, pause and resume, for an operator on a console page ({@link ConsoleRequest}), and
 * the answer every console action gives when it fails.
 */
@Path("/console/queues/{type}")
public class ConsoleActions {

    private final Operations operations;
    private final SecurityIdentity identity;

    public ConsoleActions(Operations operations, SecurityIdentity identity) {
        this.operations = operations;
        this.identity = identity;
    }

    @POST
    @Path("pause")
    public Response pause(@PathParam("type") String type, @BeanParam ConsoleRequest request) {
        return act(type, true, request);
    }

    @POST
    @Path("resume")
    public Response resume(@PathParam("type") String type, @BeanParam ConsoleRequest request) {
        return act(type, false, request);
    }

    private Response act(String type, boolean pause, ConsoleRequest request) {
        Response refused = request.actionRefusal(identity);
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
