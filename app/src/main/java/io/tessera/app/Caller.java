package io.tessera.app;

import java.util.Set;

/**
 * Who is calling, once proven: by a bearer token ({@code method} {@code bearer}: {@code name} is the client,
 * {@code subject} the token's {@code sub}), a client certificate ({@code certificate}: the configured client name and
 * the certificate's subject), or, when no authentication is configured and the port is on a loopback address, anyone
 * local ({@code local}, with every scope). {@code patient} is the {@code patient} a token's {@code patient/} scopes are
 * bound to, or null. {@code address} is the peer's address, for the audit trail.
 */
record Caller(String name, String subject, String method, Set<String> scopes, String patient, String address) {
    static final String ADMIN = "tessera/admin";

    Caller {
        scopes = Set.copyOf(scopes);
    }

    static Caller local(String address) {
        return new Caller("local", null, "local", Set.of(ADMIN, "system/*.*"), null, address);
    }

    /** Whether this caller holds {@code scope}; {@code tessera/admin} holds every Tessera scope. */
    boolean holds(String scope) {
        return scopes.contains(scope) || (scope.startsWith("tessera/") && scopes.contains(ADMIN));
    }
}
