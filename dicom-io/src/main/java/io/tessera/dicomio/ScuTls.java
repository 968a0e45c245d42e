package io.tessera.dicomio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * DICOM TLS for the SCU side (PS3.15 Annex B, BCP 195): the server is trusted only when its certificate chains to
 * {@code trustStore} (null: the JDK's default trust), a client certificate is offered when {@code keyStore} is given,
 * only TLSv1.3/TLSv1.2 and forward-secret AEAD cipher suites are enabled. Key and trust stores are PKCS12 or JKS.
 *
 * <p>With {@code verifyHostname} (the default) the server's certificate must also name the host we connected to, as
 * HTTPS checks it (RFC 2818/6125: a SAN dNSName for a name, a SAN iPAddress for an address literal): trust alone says
 * only that some trusted party issued the certificate, so with a private CA or a shared trust store any node's
 * certificate would otherwise do for any other. A mismatch is a TSR-0406.
 */
public record ScuTls(Path trustStore, String trustStorePassword, Path keyStore, String keyStorePassword,
                     List<String> protocols, boolean verifyHostname) {
    public static final List<String> BCP195_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Pattern BCP195_SUITES = Pattern.compile(
            "TLS_AES_(128|256)_GCM_SHA(256|384)|TLS_CHACHA20_POLY1305_SHA256"
                    + "|TLS_(ECDHE_(ECDSA|RSA)|DHE_RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    /** TLS with the server's host name checked. */
    public ScuTls(Path trustStore, String trustStorePassword, Path keyStore, String keyStorePassword, List<String> protocols) {
        this(trustStore, trustStorePassword, keyStore, keyStorePassword, protocols, true);
    }

    public ScuTls {
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        protocols = protocols == null || protocols.isEmpty() ? BCP195_PROTOCOLS : List.copyOf(protocols);
        for (String p : protocols) {
            if (!BCP195_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("TSR-0404: TLS protocol not allowed by BCP 195: " + p);
            }
        }
    }

    /** Connects and completes the TLS handshake; an untrusted server or no common protocol is a TSR-0403. */
    SSLSocket connect(String host, int port, String peer) throws DicomNetworkException {
        SSLContext ctx = context(peer);
        SSLSocket s = null;
        try {
            s = (SSLSocket) ctx.getSocketFactory().createSocket();
            s.setEnabledProtocols(protocols.toArray(String[]::new));
            s.setEnabledCipherSuites(Arrays.stream(s.getSupportedCipherSuites())
                    .filter(c -> BCP195_SUITES.matcher(c).matches()).toArray(String[]::new));
            if (verifyHostname) {
                SSLParameters params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
            }
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(CONNECT_TIMEOUT_MS);
            s.startHandshake();
            s.setSoTimeout(0);
            return s;
        } catch (SSLHandshakeException e) {
            close(s);
            if (verifyHostname && hostMismatch(e)) {
                throw new DicomNetworkException(DicomNetworkException.TLS_HOST_NAME, "TLS handshake with " + peer
                        + " failed: the server's certificate does not name " + host + " (no matching subject alternative"
                        + " name); fix the certificate or the destination's host, or set tls.verifyHostname: false - "
                        + e.getMessage(), e);
            }
            throw new DicomNetworkException(DicomNetworkException.TLS_HANDSHAKE, "TLS handshake with " + peer + " failed: " + reason(e), e);
        } catch (IOException | RuntimeException e) {
            close(s);
            throw new DicomNetworkException(DicomNetworkException.NO_ASSOCIATION, "cannot connect over TLS to " + peer + ": " + e, e);
        }
    }

    private SSLContext context(String peer) throws DicomNetworkException {
        try {
            KeyManager[] keys = null;
            if (keyStore != null) {
                KeyStore ks = KeyStore.getInstance(keyStore.toFile(), keyStorePassword.toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, keyStorePassword.toCharArray());
                keys = kmf.getKeyManagers();
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore == null ? null : KeyStore.getInstance(trustStore.toFile(), trustStorePassword.toCharArray()));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new DicomNetworkException(DicomNetworkException.TLS_STORES, "cannot load TLS key or trust store for " + peer + " (" + this + "): "
                    + e.getMessage(), e);
        }
    }

    /** True when the chain was trusted but does not name the host (JSSE's HostnameChecker said so). */
    private static boolean hostMismatch(SSLHandshakeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.security.cert.CertificateException
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
                return true;
            }
        }
        return false;
    }

    /** Says in words what an operator should check; the JSSE message follows. */
    private static String reason(SSLHandshakeException e) {
        String m = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            String n = t.getClass().getName();
            if (n.contains("CertPathBuilderException") || n.contains("CertificateException")
                    || String.valueOf(t.getMessage()).contains("PKIX")) {
                return "the server's certificate is not trusted (not in the destination's trust store) - " + m;
            }
        }
        return m;
    }

    private static void close(SSLSocket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // already failing; the original error is reported
        }
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "ScuTls[trustStore=" + trustStore + ", keyStore=" + keyStore + ", protocols=" + protocols + ", verifyHostname=" + verifyHostname + "]";
    }
}
