package io.tessera.listener;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Builds the TLS server socket for DICOM TLS: our key from the key store, client certificates checked against the
 * trust store, only the configured BCP 195 protocol versions, and only forward-secret AEAD cipher suites (the
 * ones BCP 195 / RFC 9325 recommends; CBC, RSA key exchange and anything older are left out).
 */
final class TlsContextFactory {
    private static final Pattern BCP195_SUITES = Pattern.compile(
            "TLS_AES_(128|256)_GCM_SHA(256|384)|TLS_CHACHA20_POLY1305_SHA256"
                    + "|TLS_(ECDHE_(ECDSA|RSA)|DHE_RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");

    private TlsContextFactory() {
    }

    static SSLContext context(TlsSettings tls) throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance(tls.keyStore().toFile(), tls.keyStorePassword().toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, tls.keyStorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore trust = tls.trustStore() == null ? null
                    : KeyStore.getInstance(tls.trustStore().toFile(), tls.trustStorePassword().toCharArray());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new IOException("TSR-0284: cannot load TLS key or trust store (" + tls + "): " + e.getMessage(), e);
        }
    }

    static SSLServerSocket bind(TlsSettings tls, InetSocketAddress address) throws IOException {
        SSLServerSocket s = (SSLServerSocket) context(tls).getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        s.setEnabledProtocols(tls.protocols().toArray(String[]::new));
        String[] suites = Arrays.stream(s.getSupportedCipherSuites())
                .filter(c -> BCP195_SUITES.matcher(c).matches()).toArray(String[]::new);
        s.setEnabledCipherSuites(suites);
        if (tls.requireClientCert()) {
            s.setNeedClientAuth(true);
        } else {
            s.setWantClientAuth(true);
        }
        s.bind(address, 64);
        return s;
    }
}
