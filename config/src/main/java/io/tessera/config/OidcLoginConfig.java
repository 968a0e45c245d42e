package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Console login through the hospital's OpenID Connect provider: authorisation code flow with PKCE (S256), a state and
 * a nonce per login. {@code issuer}: the provider (its {@code /.well-known/openid-configuration} is read at the first
 * login); {@code clientId} and, for a confidential client, {@code clientSecret} (sent by HTTP Basic; better given as
 * {@code TESSERA_CONSOLE_OIDC_CLIENT_SECRET} than in the file); {@code redirectUri}: Tessera's own
 * {@code https://host:port/login/oidc/callback} exactly as registered at the provider. What a user may see comes
 * from the ID token: the Tessera scopes in {@code scopeClaim} (a space-separated string or a list), and for each group
 * or role named in {@code groupsClaim}, the scopes {@code groupScopes} gives it. A user with none is refused.
 */
public record OidcLoginConfig(
        String issuer,
        String clientId,
        String clientSecret,
        String redirectUri,
        @NotNull @NotEmpty List<String> scopes,
        @NotNull String scopeClaim,
        @NotNull String groupsClaim,
        @NotNull Map<String, Set<String>> groupScopes,
        @NotNull String displayName,
        @NotNull @NotEmpty List<@Pattern(regexp = "(RS|ES|PS)(256|384|512)",
                message = "must be an asymmetric JWS algorithm: RS256, ES256, PS256 (or the 384/512 variants)") String> algorithms) {

    public OidcLoginConfig {
        issuer = trim(issuer);
        clientId = trim(clientId);
        clientSecret = clientSecret == null ? "" : clientSecret;
        redirectUri = trim(redirectUri);
        scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "profile") : List.copyOf(scopes);
        scopeClaim = scopeClaim == null || scopeClaim.isBlank() ? "scope" : scopeClaim.trim();
        groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim.trim();
        groupScopes = groupScopes == null ? Map.of() : Map.copyOf(groupScopes);
        displayName = displayName == null || displayName.isBlank() ? "your organisation's login" : displayName.trim();
        algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256", "ES256", "PS256") : List.copyOf(algorithms);
    }

    public static OidcLoginConfig none() {
        return new OidcLoginConfig("", "", "", "", null, null, null, null, null, null);
    }

    public boolean enabled() {
        return !issuer.isEmpty();
    }

    @AssertTrue(message = "an issuer needs clientId and redirectUri (…/login/oidc/callback, as registered at the provider)")
    public boolean isClientGiven() {
        return !enabled() || (!clientId.isEmpty() && !redirectUri.isEmpty());
    }

    @AssertTrue(message = "issuer must be https (http only on a loopback address)")
    public boolean isIssuerSecure() {
        return !enabled() || issuer.startsWith("https://") || Loopback.isLoopbackUrl(issuer);
    }

    @AssertTrue(message = "redirectUri must end in /login/oidc/callback and be https (http only on a loopback address)")
    public boolean isRedirectUriValid() {
        return redirectUri.isEmpty() || (redirectUri.endsWith("/login/oidc/callback")
                && (redirectUri.startsWith("https://") || Loopback.isLoopbackUrl(redirectUri)));
    }

    @AssertTrue(message = "scopes must include openid")
    public boolean isOpenIdRequested() {
        return scopes.contains("openid");
    }

    /** Never print the secret (the configuration is echoed in errors and logs). */
    @Override
    public String toString() {
        return "OidcLoginConfig[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=" + (clientSecret.isEmpty() ? "" : "***")
                + ", redirectUri=" + redirectUri + ", scopes=" + scopes + "]";
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
