package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may call Tessera's HTTP API and FHIR endpoint. {@code oauth}: OAuth 2.0 bearer tokens (JWT) of one issuer;
 * {@code clients}: machine clients known by their TLS client certificate. With neither, the HTTP port answers
 * everyone, which only a loopback address allows (see {@link SecureDefaults}). {@code insecure: true} lifts the
 * secure-default refusals for a lab and is warned about at every start.
 */
public record SecurityConfig(
        boolean insecure,
        @NotNull @Valid OAuthConfig oauth,
        @NotNull List<@NotNull @Valid ClientCertificateConfig> clients) {

    /** Whether any caller has to prove who it is. */
    public boolean authenticates() {
        return oauth.enabled() || !clients.isEmpty();
    }

    @AssertTrue(message = "client names must be unique")
    public boolean isClientNamesUnique() {
        Set<String> names = new HashSet<>();
        return clients.stream().allMatch(c -> c == null || c.name() == null || names.add(c.name()));
    }

    /** The defaults of tessera-defaults.yaml: no issuer, no clients. */
    public static SecurityConfig defaults() {
        return new SecurityConfig(false, OAuthConfig.none(), List.of());
    }
}
