package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * How Tessera authenticates to an external FHIR server: {@code bearer} (a {@code token}, e.g. from the environment:
 * {@code TESSERA_DESTINATIONS_0_AUTH_TOKEN}), {@code basic} ({@code username}, {@code password}), or
 * {@code smart-backend}: OAuth 2.0 client credentials as SMART Backend Services define them — a JWT signed with our
 * private key ({@code privateKeyFile}, PEM PKCS#8, RSA for RS384 or EC P-384 for ES384; {@code keyId} is the JWK
 * {@code kid} the server registered) is exchanged at {@code tokenEndpoint} for an access token with {@code scope},
 * e.g. {@code system/DiagnosticReport.write system/Observation.write}.
 */
public record FhirAuthConfig(
        @NotBlank @Pattern(regexp = "bearer|basic|smart-backend", message = "must be one of bearer, basic, smart-backend") String type,
        String token,
        String username,
        String password,
        String tokenEndpoint,
        String clientId,
        String privateKeyFile,
        String keyId,
        String scope) {

    /** Bearer or basic credentials. */
    public FhirAuthConfig(String type, String token, String username, String password) {
        this(type, token, username, password, null, null, null, null, null);
    }

    /** SMART Backend Services client credentials. */
    public static FhirAuthConfig smartBackend(String tokenEndpoint, String clientId, String privateKeyFile, String keyId, String scope) {
        return new FhirAuthConfig("smart-backend", null, null, null, tokenEndpoint, clientId, privateKeyFile, keyId, scope);
    }

    @AssertTrue(message = "bearer auth needs token")
    public boolean isBearerComplete() {
        return !"bearer".equals(type) || (token != null && !token.isBlank());
    }

    @AssertTrue(message = "basic auth needs username and password")
    public boolean isBasicComplete() {
        return !"basic".equals(type) || (username != null && !username.isBlank() && password != null);
    }

    @AssertTrue(message = "smart-backend auth needs tokenEndpoint (an http(s) URL), clientId, privateKeyFile and scope")
    public boolean isSmartBackendComplete() {
        return !"smart-backend".equals(type) || (tokenEndpoint != null && tokenEndpoint.matches("https?://\\S+")
                && notBlank(clientId) && notBlank(privateKeyFile) && notBlank(scope));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** Secrets are never printed. */
    @Override
    public String toString() {
        return "FhirAuthConfig[type=" + type + ", username=" + username + ", tokenEndpoint=" + tokenEndpoint
                + ", clientId=" + clientId + ", keyId=" + keyId + ", scope=" + scope + "]";
    }
}
