package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * MLLP over TLS (BCP 195) for the HL7 report intake. Unlike DICOM there is no registered second port: when enabled,
 * the TLS listener takes {@code hl7.port} in place of the plain one, so a site cannot leave a clear-text door open
 * by forgetting it. Client certificates are asked for but optional by default ({@code requireClientCert: false}):
 * most RIS interface engines can do server-authenticated TLS, fewer can present a certificate; the address and
 * application allow-lists still apply.
 */
public record Hl7TlsConfig(
        boolean enabled,
        String keyStore,
        String keyStorePassword,
        String trustStore,
        String trustStorePassword,
        boolean requireClientCert,
        @NotNull @NotEmpty List<@Pattern(regexp = "TLSv1\\.[23]", message = "must be TLSv1.3 or TLSv1.2 (BCP 195)") String> protocols) {

    /** TLS off (the plain MLLP listener). */
    public static Hl7TlsConfig off() {
        return new Hl7TlsConfig(false, "", "", "", "", false, List.of("TLSv1.3", "TLSv1.2"));
    }

    @AssertTrue(message = "keyStore is required when tls is enabled")
    public boolean isKeyStoreGiven() {
        return !enabled || (keyStore != null && !keyStore.isBlank());
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "Hl7TlsConfig[enabled=" + enabled + ", keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", requireClientCert=" + requireClientCert + ", protocols=" + protocols + "]";
    }
}
