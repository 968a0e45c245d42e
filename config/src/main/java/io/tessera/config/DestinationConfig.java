package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Where results go: a DICOM node (C-STORE, optionally over DICOM TLS: {@code tls}), a folder, or an external FHIR R4
 * server ({@code fhir}: the result set is pushed to {@code url} as a transaction Bundle with conditional creates,
 * optionally with {@code auth}). {@code timeout} bounds each read from a DICOM, FHIR or HL7 destination (default 30 s).
 * {@code burnedInFallback} (DICOM only): also send a Secondary Capture series with the segmentation outlines burned
 * into copies of the source slices, for archives and viewers that cannot show a SEG. An {@code hl7} destination (a RIS
 * or EHR without FHIR) takes each result as an ORU^R01 over MLLP to {@code host}:{@code port}, optionally over TLS
 * ({@code tls}), with its MSH fields from {@code hl7}.
 */
public record DestinationConfig(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must use letters, digits, '_', '.', '-'") String name,
        @NotBlank @Pattern(regexp = "dicom|folder|fhir|hl7", message = "must be one of dicom, folder, fhir, hl7") String type,
        String aeTitle,
        String host,
        @Min(0) @Max(65535) int port,
        String path,
        String url,
        @Valid DestinationTlsConfig tls,
        @DurationMin(millis = 100, message = "must be between 100ms and 1h")
        @DurationMax(hours = 1, message = "must be between 100ms and 1h") Duration timeout,
        @Valid FhirAuthConfig auth,
        boolean burnedInFallback,
        @Valid Hl7DestinationConfig hl7) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** A destination without timeout, auth or fallback (the shape before those existed). */
    public DestinationConfig(String name, String type, String aeTitle, String host, int port, String path, String url,
                             DestinationTlsConfig tls) {
        this(name, type, aeTitle, host, port, path, url, tls, null, null, false, null);
    }

    /** A destination without hl7 header fields (the shape before the hl7 type existed). */
    public DestinationConfig(String name, String type, String aeTitle, String host, int port, String path, String url,
                             DestinationTlsConfig tls, Duration timeout, FhirAuthConfig auth, boolean burnedInFallback) {
        this(name, type, aeTitle, host, port, path, url, tls, timeout, auth, burnedInFallback, null);
    }

    /** The hl7 header fields, defaults where not configured. */
    public Hl7DestinationConfig hl7OrDefaults() {
        return hl7 == null ? Hl7DestinationConfig.defaults() : hl7;
    }

    /** True when results go to this hl7 destination over TLS. */
    public boolean hl7UsesTls() {
        return "hl7".equals(type) && tls != null && tls.enabled();
    }

    /** True when results go to this DICOM destination over TLS. */
    public boolean usesTls() {
        return "dicom".equals(type) && tls != null && tls.enabled();
    }

    public Duration timeoutOrDefault() {
        return timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    @AssertTrue(message = "a dicom destination needs aeTitle, host and port")
    public boolean isDicomComplete() {
        return !"dicom".equals(type) || (notBlank(aeTitle) && notBlank(host) && port > 0);
    }

    @AssertTrue(message = "tls applies only to a dicom or hl7 destination")
    public boolean isTlsOnlyForDicom() {
        return tls == null || !tls.enabled() || "dicom".equals(type) || "hl7".equals(type);
    }

    @AssertTrue(message = "an hl7 destination needs host and port (the RIS/EHR's MLLP listener)")
    public boolean isHl7Complete() {
        return !"hl7".equals(type) || (notBlank(host) && port > 0);
    }

    @AssertTrue(message = "hl7 applies only to an hl7 destination")
    public boolean isHl7OnlyForHl7() {
        return hl7 == null || "hl7".equals(type);
    }

    @AssertTrue(message = "a folder destination needs path")
    public boolean isFolderComplete() {
        return !"folder".equals(type) || notBlank(path);
    }

    @AssertTrue(message = "a fhir destination needs an http or https url (the FHIR base, e.g. https://ehr.example/fhir)")
    public boolean isFhirComplete() {
        return !"fhir".equals(type) || (notBlank(url) && url.matches("https?://\\S+"));
    }

    @AssertTrue(message = "auth applies only to a fhir destination")
    public boolean isAuthOnlyForFhir() {
        return auth == null || "fhir".equals(type);
    }

    @AssertTrue(message = "burnedInFallback applies only to a dicom destination")
    public boolean isFallbackOnlyForDicom() {
        return !burnedInFallback || "dicom".equals(type);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
