package io.tessera.listener;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * DICOM TLS (PS3.15 Annex B, BCP 195) on a port of its own, beside or instead of the plain port.
 *
 * @param port               TCP port; 0 picks a free one (see {@link DicomListener#tlsPort()})
 * @param keyStore           PKCS12 or JKS key store holding our private key and certificate chain
 * @param keyStorePassword   its password (also used for the key)
 * @param trustStore         certificates we trust for client authentication; null: the JDK's default trust
 * @param trustStorePassword its password; may be empty
 * @param requireClientCert  refuse a peer that presents no certificate we trust
 * @param protocols          enabled protocol versions, e.g. {@code [TLSv1.3, TLSv1.2]}
 */
public record TlsSettings(int port, Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                          boolean requireClientCert, List<String> protocols) {
    public static final List<String> BCP195_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TSR-0104: TLS port out of range: " + port);
        }
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        protocols = protocols == null || protocols.isEmpty() ? BCP195_PROTOCOLS : List.copyOf(protocols);
        for (String p : protocols) {
            if (!BCP195_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("TSR-0105: TLS protocol not allowed by BCP 195: " + p);
            }
        }
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "TlsSettings[port=" + port + ", keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", requireClientCert=" + requireClientCert + ", protocols=" + protocols + "]";
    }
}
