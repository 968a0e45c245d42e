package io.tessera.config;

import jakarta.validation.constraints.NotBlank;

/**
 * Tessera's own FHIR endpoint. {@code subscriptionsAllowHttp} (default false): accept Subscriptions whose rest-hook
 * endpoint is plain {@code http://} on another machine, for a lab without certificates; otherwise only {@code https}
 * or this machine.
 */
public record FhirConfig(boolean enabled, @NotBlank String patientIdentifierSystem, Boolean subscriptionsAllowHttp) {
    public FhirConfig(boolean enabled, String patientIdentifierSystem) {
        this(enabled, patientIdentifierSystem, false);
    }

    public boolean allowsPlainHttpSubscriptions() {
        return Boolean.TRUE.equals(subscriptionsAllowHttp);
    }
}
