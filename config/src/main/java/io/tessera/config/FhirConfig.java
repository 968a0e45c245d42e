package io.tessera.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * Tessera's own FHIR endpoint. A Patient's identifier is its DICOM Patient ID under a system: the one named for the
 * study's Issuer of Patient ID (0010,0021) in {@code patientIdentifierSystems}, else the one of its sender (calling AE
 * title) in {@code patientIdentifierSystemsByCallingAe}, else {@code patientIdentifierSystem}
 * (set it to the hospital's MRN system, so a pushed Patient matches the EHR's). {@code wadoRsUrl}, when set, is the
 * DICOMweb service holding the studies and results (e.g. the PACS's), named as each ImagingStudy's Endpoint.
 * {@code subscriptionsAllowHttp} (default false): accept Subscriptions whose rest-hook endpoint is plain
 * {@code http://} on another machine, for a lab without certificates; otherwise only {@code https} or this machine.
 * {@code accessionSystem}: the system of the site's accession numbers; {@code organizationName} and
 * {@code organizationIdentifier} ({@code system|value}): the organisation named as every report's performer.
 */
public record FhirConfig(boolean enabled, @NotBlank String patientIdentifierSystem,
                         @NotNull Map<String, @NotBlank String> patientIdentifierSystems,
                         @jakarta.validation.constraints.Pattern(regexp = "https?://\\S+",
                                 message = "must be an http(s) URL") String wadoRsUrl,
                         Boolean subscriptionsAllowHttp, String accessionSystem, String organizationName,
                         @jakarta.validation.constraints.Pattern(regexp = "[^|]*\\|[^|]+|[^|]+",
                                 message = "must be system|value or value") String organizationIdentifier,
                         Map<String, @NotBlank String> patientIdentifierSystemsByCallingAe) {
    public FhirConfig {
        patientIdentifierSystems = patientIdentifierSystems == null ? Map.of() : Map.copyOf(patientIdentifierSystems);
        patientIdentifierSystemsByCallingAe = patientIdentifierSystemsByCallingAe == null ? Map.of()
                : Map.copyOf(patientIdentifierSystemsByCallingAe);
    }

    public FhirConfig(boolean enabled, String patientIdentifierSystem) {
        this(enabled, patientIdentifierSystem, Map.of(), null, false, null, null, null, Map.of());
    }

    public boolean allowsPlainHttpSubscriptions() {
        return Boolean.TRUE.equals(subscriptionsAllowHttp);
    }
}
