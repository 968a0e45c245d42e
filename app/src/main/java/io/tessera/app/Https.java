package io.tessera.app;

import io.tessera.config.HttpTlsConfig;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS as BCP 195 asks: TLS 1.3 and 1.2 only, and with 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or
 * ChaCha20-Poly1305); TLS 1.3's suites are all AEAD. Client certificates asked for or required as configured, checked
 * against the trust store. HSTS on every response.
 */
final class Https {
    static final String[] SUITES = {
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private Https() {}

    static SslContextFactory.Server contextFactory(HttpTlsConfig tls) {
        SslContextFactory.Server f = new SslContextFactory.Server();
        f.setKeyStorePath(tls.keyStore());
        f.setKeyStorePassword(tls.keyStorePassword());
        if (tls.trustStore() != null && !tls.trustStore().isBlank()) {
            f.setTrustStorePath(tls.trustStore());
            f.setTrustStorePassword(tls.trustStorePassword());
        }
        f.setIncludeProtocols(tls.protocols().toArray(String[]::new));
        f.setIncludeCipherSuites(SUITES);
        f.setWantClientAuth("want".equals(tls.clientAuth()));
        f.setNeedClientAuth("need".equals(tls.clientAuth()));
        // The Host allow-list (HttpGuard) decides which names are answered; SNI need not match the certificate.
        f.setSniRequired(false);
        return f;
    }

    static SecureRequestCustomizer requestCustomizer(HttpTlsConfig tls) {
        SecureRequestCustomizer c = new SecureRequestCustomizer();
        c.setSniHostCheck(false);
        c.setStsMaxAge(tls.hstsMaxAge().isZero() ? -1 : tls.hstsMaxAge().toSeconds()); // 0: no header
        c.setStsIncludeSubDomains(false);
        return c;
    }
}
