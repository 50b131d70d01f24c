package io.conveyor.gateway.security;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.conveyor.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Authorization: Bearer <key>} (scheme case-insensitive) against the keys file and the admin token; on the
 * console's pages only, the key of a console sign-in may come from its cookie instead. A
 * request without a usable key is anonymous, and the endpoint's {@code @RolesAllowed} answers 401; the reason is
 * left on the request ({@link #REFUSAL}) for the problem body. In protected mode (no keys file) a request without
 * a key from a local address gets the local identity instead: producer and reader, and operator too unless an
 * admin token is set.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(ApiKeyMechanism.class);

    /** Request attribute: why the request is anonymous, a {@link Refusal}. */
    public static final String REFUSAL = "conveyor.auth.refusal";

    /** The console's path: its pages also take the key of a sign-in from {@link #CONSOLE_COOKIE}. */
    public static final String CONSOLE_PATH = "/console";

    /** The cookie holding the key a console user signed in with (HttpOnly, SameSite=Strict, path /console). */
    public static final String CONSOLE_COOKIE = "conveyor_console";

    /** The name of the local identity of protected mode; tasks it submits record no client. */
    public static final String LOCAL = "local";

    /** Why a request carries no identity. */
    public enum Refusal {
        NO_KEY,
        UNKNOWN_KEY,
        NOT_BEARER,
        NOT_LOCAL
    }

    private static final String BEARER = "bearer";

    private final ApiKeys keys;
    private final AdminToken adminToken;
    private final LocalNetworks local;
    private final SecurityIdentity localIdentity;

    public ApiKeyMechanism(ApiKeys keys, AdminToken adminToken, GatewayConfig config) {
        this.keys = keys;
        this.adminToken = adminToken;
        this.local = LocalNetworks.parse(config.security().localNetworks());
        this.localIdentity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(LOCAL))
                .addRoles(adminToken.sha256().isPresent() ? Set.of(Roles.PRODUCER, Roles.READER) : Roles.ALL)
                .build();
    }

    void announce(@Observes StartupEvent event) {
        if (keys.configured()) {
            return;
        }
        LOG.warnf(
                "PROTECTED MODE: no API keys (set CONVEYOR_API_KEYS_FILE). Requests without a key are served only "
                        + "from %s (CONVEYOR_LOCAL_NETWORKS); every other address gets 401. %s",
                local,
                adminToken.sha256().isPresent()
                        ? "Operator endpoints need the admin token."
                        : "Local callers may also use the operator endpoints: set CONVEYOR_ADMIN_TOKEN to guard them.");
    }

    /** True for protected mode's local identity: a caller without a key, served for its local address. */
    public static boolean isLocal(SecurityIdentity identity) {
        return !identity.isAnonymous() && LOCAL.equals(identity.getPrincipal().getName());
    }

    /** True when the request's source address is one protected mode serves without a key. */
    private boolean fromLocal(RoutingContext context) {
        return context.request().remoteAddress() != null
                && local.contains(context.request().remoteAddress().hostAddress());
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            String signedIn = consoleKey(context);
            boolean localServed = !keys.configured() && fromLocal(context);
            if (signedIn != null) {
                // A sign-in whose key no longer works falls back to what the request would get without it.
                return authenticate(context, identities, signedIn)
                        .onItem()
                        .ifNull()
                        .continueWith(() -> localServed ? localIdentity : null);
            }
            if (localServed) {
                return Uni.createFrom().item(localIdentity);
            }
            return refuse(context, keys.configured() ? Refusal.NO_KEY : Refusal.NOT_LOCAL);
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return refuse(context, Refusal.NOT_BEARER);
        }
        return authenticate(context, identities, trimmed.substring(space + 1).trim());
    }

    /**
     * The key of a console sign-in ({@link #CONSOLE_COOKIE}), read only on the console's own paths: the API never
     * takes a cookie, so no other site can make a browser call it with the operator's key.
     */
    private static String consoleKey(RoutingContext context) {
        String path = context.normalizedPath();
        if (path == null || !(path.equals(CONSOLE_PATH) || path.startsWith(CONSOLE_PATH + "/"))) {
            return null;
        }
        Cookie cookie = context.request().getCookie(CONSOLE_COOKIE);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    private Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities, String key) {
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(key, BEARER)), context);
        return identities.authenticate(request).onFailure().recoverWithUni(e -> refuse(context, Refusal.UNKNOWN_KEY));
    }

    private static Uni<SecurityIdentity> refuse(RoutingContext context, Refusal refusal) {
        context.put(REFUSAL, refusal);
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, BEARER));
    }
}
