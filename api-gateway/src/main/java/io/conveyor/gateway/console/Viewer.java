package io.conveyor.gateway.console;

import io.conveyor.gateway.security.ApiKeyMechanism;
import io.conveyor.gateway.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who looks at the console and what they may do: pages need {@code reader}, actions {@code operator}; an action the
 * viewer may not do is not offered. {@code signedIn} says the key came from a console sign-in (so a sign-out is
 * offered); the local identity of protected mode has none.
 */
public record Viewer(String name, boolean reads, boolean operates, boolean signedIn) {

    public static Viewer of(SecurityIdentity identity, boolean signedIn) {
        if (identity == null || identity.isAnonymous()) {
            return new Viewer(null, false, false, signedIn);
        }
        boolean local = ApiKeyMechanism.isLocal(identity);
        return new Viewer(
                local ? "local access" : identity.getPrincipal().getName(),
                identity.hasRole(Roles.READER),
                identity.hasRole(Roles.OPERATOR),
                signedIn && !local);
    }

    /** True without any identity: the page answers with the sign-in form. */
    public boolean anonymous() {
        return name == null;
    }

    /** What the header shows after the name. */
    public String role() {
        return operates ? Roles.OPERATOR : reads ? Roles.READER : Roles.PRODUCER;
    }
}
