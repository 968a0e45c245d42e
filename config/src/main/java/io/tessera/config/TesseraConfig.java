package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The whole configuration, as bound from {@code tessera.yaml} plus environment and command-line overrides. */
public record TesseraConfig(
        @NotNull @Valid DicomConfig dicom,
        @NotNull @Valid StorageConfig storage,
        @NotNull @Valid CompletionConfig completion,
        @NotNull @Valid HttpConfig http,
        @NotNull @Valid ModelsConfig models,
        @NotNull @Valid InferenceConfig inference,
        @NotNull @Valid FhirConfig fhir,
        @NotNull @Valid DeliveryConfig delivery,
        @NotNull List<@Valid DestinationConfig> destinations,
        @NotNull List<@Valid RouteConfig> routes,
        @NotNull @Valid Hl7Config hl7,
        @NotNull @Valid GroundingConfig grounding,
        @NotNull @Valid SecurityConfig security) {}
