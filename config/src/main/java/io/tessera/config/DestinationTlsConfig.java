package io.tessera.config;

import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * DICOM TLS (BCP 195) for sending to a {@code dicom} destination. The server must present a certificate that chains
 * to {@code trustStore} (empty: the JDK's default trust); {@code keyStore} holds our client certificate, only needed
 * when the destination requires one. Stores are PKCS12 or JKS. {@code protocols} defaults to TLSv1.3 and TLSv1.2.
 * {@code verifyHostname} (default true): the certificate must also name the destination's {@code host} (a SAN
 * dNSName or iPAddress, as HTTPS checks it), so a certificate the trust store accepts for one node cannot stand in
 * for another; false for peers whose certificates do not name them (then trust only that peer's own certificate).
 */
public record DestinationTlsConfig(
        boolean enabled,
        String trustStore,
        String trustStorePassword,
        String keyStore,
        String keyStorePassword,
        List<@Pattern(regexp = "TLSv1\\.[23]", message = "must be TLSv1.3 or TLSv1.2 (BCP 195)") String> protocols,
        Boolean verifyHostname) {

    public DestinationTlsConfig {
        protocols = protocols == null || protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
        verifyHostname = verifyHostname == null || verifyHostname;
    }

    /** TLS with the host name checked. */
    public DestinationTlsConfig(boolean enabled, String trustStore, String trustStorePassword, String keyStore,
                                String keyStorePassword, List<String> protocols) {
        this(enabled, trustStore, trustStorePassword, keyStore, keyStorePassword, protocols, true);
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "DestinationTlsConfig[enabled=" + enabled + ", trustStore=" + trustStore + ", keyStore=" + keyStore
                + ", protocols=" + protocols + ", verifyHostname=" + verifyHostname + "]";
    }
}
