package io.tessera.config;

import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * DICOM TLS (BCP 195) for sending to a {@code dicom} destination. The server must present a certificate that chains
 * to {@code trustStore} (empty: the JDK's default trust); {@code keyStore} holds our client certificate, only needed
 * when the destination requires one. Stores are PKCS12 or JKS. {@code protocols} defaults to TLSv1.3 and TLSv1.2.
 */
public record DestinationTlsConfig(
        boolean enabled,
        String trustStore,
        String trustStorePassword,
        String keyStore,
        String keyStorePassword,
        List<@Pattern(regexp = "TLSv1\\.[23]", message = "must be TLSv1.3 or TLSv1.2 (BCP 195)") String> protocols) {

    public DestinationTlsConfig {
        protocols = protocols == null || protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "DestinationTlsConfig[enabled=" + enabled + ", trustStore=" + trustStore + ", keyStore=" + keyStore
                + ", protocols=" + protocols + "]";
    }
}
