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
 * optionally with {@code auth}). {@code timeout} bounds each read from a DICOM or FHIR destination (default 30 s).
 * {@code burnedInFallback} (DICOM only): also send a Secondary Capture series with the segmentation outlines burned
 * into copies of the source slices, for archives and viewers that cannot show a SEG.
 */
public record DestinationConfig(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must use letters, digits, '_', '.', '-'") String name,
        @NotBlank @Pattern(regexp = "dicom|folder|fhir", message = "must be one of dicom, folder, fhir") String type,
        String aeTitle,
        String host,
        @Min(0) @Max(65535) int port,
        String path,
        String url,
        @Valid DestinationTlsConfig tls,
        @DurationMin(millis = 100, message = "must be between 100ms and 1h")
        @DurationMax(hours = 1, message = "must be between 100ms and 1h") Duration timeout,
        @Valid FhirAuthConfig auth,
        boolean burnedInFallback) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** A destination without timeout, auth or fallback (the shape before those existed). */
    public DestinationConfig(String name, String type, String aeTitle, String host, int port, String path, String url,
                             DestinationTlsConfig tls) {
        this(name, type, aeTitle, host, port, path, url, tls, null, null, false);
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

    @AssertTrue(message = "tls applies only to a dicom destination")
    public boolean isTlsOnlyForDicom() {
        return tls == null || !tls.enabled() || "dicom".equals(type);
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
