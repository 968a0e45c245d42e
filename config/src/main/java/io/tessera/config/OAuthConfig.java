package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;

/**
 * Bearer tokens accepted on HTTP: JWTs signed by {@code issuer}'s keys (a JWK Set from {@code jwksUri}, cached and
 * fetched again when a token names an unknown key, or from {@code jwksFile}), whose {@code aud} holds
 * {@code audience}, checked for expiry and not-before with {@code clockSkew} of tolerance. {@code tokenEndpoint} is
 * where clients get tokens; it is advertised at {@code /.well-known/smart-configuration}. An empty issuer: no tokens.
 */
public record OAuthConfig(
        String issuer,
        String audience,
        String jwksUri,
        String jwksFile,
        @NotNull @DurationMax(minutes = 10, message = "must be at most 10m") Duration clockSkew,
        String tokenEndpoint,
        @NotNull @NotEmpty List<@Pattern(regexp = "(RS|ES|PS)(256|384|512)",
                message = "must be an asymmetric JWS algorithm: RS256, ES256, PS256 (or the 384/512 variants)") String> algorithms) {

    public boolean enabled() {
        return issuer != null && !issuer.isBlank();
    }

    @AssertTrue(message = "an issuer needs an audience (the aud claim Tessera's tokens carry)")
    public boolean isAudienceGiven() {
        return !enabled() || (audience != null && !audience.isBlank());
    }

    @AssertTrue(message = "an issuer needs its keys: exactly one of jwksUri or jwksFile")
    public boolean isOneKeySource() {
        return !enabled() || (blank(jwksUri) != blank(jwksFile));
    }

    @AssertTrue(message = "jwksUri must be https (http only on a loopback address)")
    public boolean isJwksUriSecure() {
        return blank(jwksUri) || jwksUri.startsWith("https://") || Loopback.isLoopbackUrl(jwksUri);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static OAuthConfig none() {
        return new OAuthConfig("", "", "", "", Duration.ofSeconds(60), "", List.of("RS256", "ES256", "PS256"));
    }
}
