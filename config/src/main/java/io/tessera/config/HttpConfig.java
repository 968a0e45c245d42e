package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** The HTTP server: FHIR endpoint, health, status API. */
public record HttpConfig(@NotBlank String bindAddress, @Min(0) @Max(65535) int port) {}
