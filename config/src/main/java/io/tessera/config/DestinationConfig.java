package io.tessera.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Where results go: a DICOM node (C-STORE, optionally over DICOM TLS: {@code tls}) or a folder. (Push to external FHIR servers is planned; see DESIGN.md.) */
public record DestinationConfig(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must use letters, digits, '_', '.', '-'") String name,
        @NotBlank @Pattern(regexp = "dicom|folder", message = "must be one of dicom, folder") String type,
        String aeTitle,
        String host,
        @Min(0) @Max(65535) int port,
        String path,
        String url,
        @Valid DestinationTlsConfig tls) {

    /** True when results go to this DICOM destination over TLS. */
    public boolean usesTls() {
        return "dicom".equals(type) && tls != null && tls.enabled();
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

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
