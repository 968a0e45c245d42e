package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * How Tessera authenticates to an external FHIR server: {@code bearer} (a {@code token}, e.g. from the environment:
 * {@code TESSERA_DESTINATIONS_0_AUTH_TOKEN}) or {@code basic} ({@code username}, {@code password}).
 */
public record FhirAuthConfig(
        @NotBlank @Pattern(regexp = "bearer|basic", message = "must be one of bearer, basic") String type,
        String token,
        String username,
        String password) {

    @AssertTrue(message = "bearer auth needs token")
    public boolean isBearerComplete() {
        return !"bearer".equals(type) || (token != null && !token.isBlank());
    }

    @AssertTrue(message = "basic auth needs username and password")
    public boolean isBasicComplete() {
        return !"basic".equals(type) || (username != null && !username.isBlank() && password != null);
    }

    /** Secrets are never printed. */
    @Override
    public String toString() {
        return "FhirAuthConfig[type=" + type + ", username=" + username + "]";
    }
}
