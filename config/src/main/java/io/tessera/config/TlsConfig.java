package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * DICOM TLS (BCP 195) on its own port, beside the plain port (set {@code dicom.port: -1} for TLS only). Key and trust
 * stores are PKCS12 or JKS; an empty {@code trustStore} uses the JDK's default trust.
 */
public record TlsConfig(
        boolean enabled,
        @Min(0) @Max(65535) int port,
        String keyStore,
        String keyStorePassword,
        String trustStore,
        String trustStorePassword,
        boolean requireClientCert,
        @NotNull @NotEmpty List<@Pattern(regexp = "TLSv1\\.[23]", message = "must be TLSv1.3 or TLSv1.2 (BCP 195)") String> protocols) {

    @AssertTrue(message = "keyStore is required when tls is enabled")
    public boolean isKeyStoreGiven() {
        return !enabled || (keyStore != null && !keyStore.isBlank());
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "TlsConfig[enabled=" + enabled + ", port=" + port + ", keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", requireClientCert=" + requireClientCert + ", protocols=" + protocols + "]";
    }
}
