package io.conveyor.gateway.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a bearer key into the identity of its client (name, roles, rate), or fails for an unknown key. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Identity attribute: the client's own {@code Rate}, absent for the default rate. */
    public static final String RATE = "conveyor.rate";

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return Uni.createFrom()
                .item(() -> keys.match(request.getToken().getToken())
                        .map(ApiKeyIdentityProvider::identity)
                        .orElseThrow(() -> new AuthenticationFailedException("unknown API key")));
    }

    private static SecurityIdentity identity(ApiClient client) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(client.name()))
                .addRoles(Roles.effective(client.roles()));
        if (client.rate() != null) {
            builder.addAttribute(RATE, client.rate());
        }
        return builder.build();
    }
}
