package io.tessera.config;

import jakarta.validation.constraints.NotBlank;

/** Tessera's own FHIR endpoint. */
public record FhirConfig(boolean enabled, @NotBlank String patientIdentifierSystem) {}
