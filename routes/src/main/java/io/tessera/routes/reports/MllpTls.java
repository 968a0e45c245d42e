package io.tessera.routes.reports;

import io.tessera.config.Hl7TlsConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the MLLP listener (BCP 195: TLSv1.3/TLSv1.2 as configured, forward-secret AEAD cipher suites only — the
 * same choice as DICOM TLS). Key and trust stores are loaded once, at start, so a wrong path or password stops the
 * start with TSR-0721 instead of failing every connection later.
 *
 * <p>Each accepted TCP connection is turned into a server-mode {@link SSLSocket} layered on it, after the address
 * allow-list and per-address cap have judged the plain socket; the handshake runs on the connection's own thread at
 * its first read, under the listener's read timeouts, so a peer that never completes it holds no more than its own
 * slot. (Camel's {@code sslContextParameters} would make the server socket itself TLS, but loads the stores in its bind
 * thread, where a bad store is only a log line.)
 */
final class MllpTls {
    private static final Pattern BCP195_SUITES = Pattern.compile(
            "TLS_AES_(128|256)_GCM_SHA(256|384)|TLS_CHACHA20_POLY1305_SHA256"
                    + "|TLS_(ECDHE_(ECDSA|RSA)|DHE_RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");
    private final SSLContext context;
    private final Hl7TlsConfig config;
    private final String[] suites;

    private MllpTls(SSLContext context, Hl7TlsConfig config) {
        this.context = context;
        this.config = config;
        this.suites = Arrays.stream(context.getSupportedSSLParameters().getCipherSuites())
                .filter(c -> BCP195_SUITES.matcher(c).matches()).toArray(String[]::new);
    }

    /** The listener's TLS, or null when {@code hl7.tls} is off. */
    static MllpTls of(Hl7TlsConfig config) {
        if (config == null || !config.enabled()) return null;
        try {
            char[] keyPassword = password(config.keyStorePassword());
            KeyStore keys = KeyStore.getInstance(Path.of(config.keyStore()).toFile(), keyPassword);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            boolean ownTrust = config.trustStore() != null && !config.trustStore().isBlank();
            tmf.init(ownTrust ? KeyStore.getInstance(Path.of(config.trustStore()).toFile(), password(config.trustStorePassword())) : null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new MllpTls(ctx, config);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new IllegalStateException("TSR-0721: cannot load the HL7 TLS key or trust store (" + config + "): "
                    + e.getMessage(), e);
        }
    }

    /** A server-mode TLS socket over the accepted connection; closing it closes the connection. */
    SSLSocket wrap(Socket accepted) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true);
        s.setUseClientMode(false);
        s.setEnabledProtocols(config.protocols().toArray(String[]::new));
        s.setEnabledCipherSuites(suites);
        if (config.requireClientCert()) {
            s.setNeedClientAuth(true);
        } else {
            s.setWantClientAuth(true);
        }
        return s;
    }

    private static char[] password(String p) {
        return p == null ? new char[0] : p.toCharArray();
    }
}
