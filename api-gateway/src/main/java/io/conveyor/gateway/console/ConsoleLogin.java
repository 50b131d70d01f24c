package io.conveyor.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.security.ApiKeyMechanism;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Signing in to the console with an API key (or the admin token), signing out, and the console's own static files.
 * The key is kept in an HttpOnly, SameSite=Strict cookie scoped to {@code /console}: scripts cannot read it, other
 * sites cannot send it, and the API never reads it (ApiKeyMechanism).
 */
@Path("/console")
public class ConsoleLogin {

    /** The files under console/assets/, and where each comes from: ours, or htmx's WebJar. */
    private static final Map<String, String> ASSETS = Map.of(
            "console.css", "console/assets/console.css",
            "console.js", "console/assets/console.js",
            "htmx.min.js", "META-INF/resources/webjars/htmx.org/" + HtmxVersion.VERSION + "/dist/htmx.min.js");

    private final ConsolePages pages;
    private final IdentityProviderManager identities;
    private final SecurityIdentity identity;

    public ConsoleLogin(ConsolePages pages, IdentityProviderManager identities, SecurityIdentity identity) {
        this.pages = pages;
        this.identities = identities;
        this.identity = identity;
    }

    @GET
    @Path("login")
    public Response form(@QueryParam("next") String next, @BeanParam ConsoleRequest request) {
        return Html.page(200, loginPage(next, null, request.viewer(identity)));
    }

    @POST
    @Path("login")
    public Uni<Response> signIn(
            @FormParam("key") String key,
            @FormParam("next") String next,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Host") String host,
            @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        Viewer nobody = new Viewer(null, false, false, false);
        if (!ConsoleRequest.sameOrigin(origin, host)) {
            return Uni.createFrom()
                    .item(Html.page(403, loginPage(next, "Sign in from the console's own page.", nobody)));
        }
        if (key == null || key.isBlank()) {
            return Uni.createFrom().item(Html.page(400, loginPage(next, "Enter your API key.", nobody)));
        }
        return identities
                .authenticate(new TokenAuthenticationRequest(new TokenCredential(key.strip(), "bearer")))
                .onFailure()
                .recoverWithNull()
                .map(signedIn -> {
                    if (signedIn == null || signedIn.isAnonymous()) {
                        return Html.page(401, loginPage(next, "That key is not valid.", nobody));
                    }
                    NewCookie cookie = new NewCookie.Builder(ApiKeyMechanism.CONSOLE_COOKIE)
                            .value(key.strip())
                            .path(ApiKeyMechanism.CONSOLE_PATH)
                            .httpOnly(true)
                            .secure("https".equalsIgnoreCase(forwardedProto))
                            .sameSite(NewCookie.SameSite.STRICT)
                            .build();
                    return Html.secured(Response.seeOther(URI.create(safeNext(next))))
                            .cookie(cookie)
                            .build();
                });
    }

    @POST
    @Path("logout")
    public Response signOut(@BeanParam ConsoleRequest request) {
        if (!request.fromConsolePage()) {
            return ConsoleActions.problem(403, "Sign out from the console's own page.");
        }
        NewCookie gone = new NewCookie.Builder(ApiKeyMechanism.CONSOLE_COOKIE)
                .value("")
                .path(ApiKeyMechanism.CONSOLE_PATH)
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(0)
                .build();
        return Html.secured(Response.noContent())
                .header("HX-Redirect", "/console/login")
                .cookie(gone)
                .build();
    }

    @GET
    @Path("assets/{name}")
    public Response asset(@PathParam("name") String name) {
        String resource = ASSETS.get(name);
        if (resource == null) {
            return Response.status(404).build();
        }
        try (InputStream in = ConsoleLogin.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Response.status(404).build();
            }
            String type = name.endsWith(".css") ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8";
            return Response.ok(in.readAllBytes(), type)
                    .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                    .header("X-Content-Type-Options", "nosniff")
                    .build();
        } catch (IOException e) {
            return Response.serverError().build();
        }
    }

    private String loginPage(String next, String error, Viewer viewer) {
        return pages.render(
                "login",
                ConsolePages.data(viewer, "login", "Sign in", null)
                        .with("next", safeNext(next))
                        .with("error", error)
                        .with("keysConfigured", pages.keysConfigured()));
    }

    /** Only a console page: a sign-in never sends the browser elsewhere. */
    public static String safeNext(String next) {
        if (next == null
                || !(next.equals("/console") || next.startsWith("/console/") || next.startsWith("/console?"))
                || next.contains("//")
                || next.contains("\\")) {
            return "/console";
        }
        return next;
    }
}
