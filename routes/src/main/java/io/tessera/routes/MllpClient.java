package io.tessera.routes;

import io.tessera.config.DestinationTlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends one HL7 v2 message over MLLP (a connection per message: results are rare, and a fresh connection never
 * finds a peer that dropped an idle one) and returns the answer frame. TLS as the HL7 intake has it: BCP 195
 * protocols, forward-secret AEAD suites, the server's certificate chained to {@code trustStore} (empty: the JDK's
 * trust) and, unless {@code verifyHostname: false}, naming the host; a client certificate from {@code keyStore}.
 */
final class MllpClient {
    private static final int START = 0x0B;
    private static final int END = 0x1C;
    private static final int CR = 0x0D;
    private static final int MAX_ANSWER = 1 << 20;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final Pattern BCP195_SUITES = Pattern.compile(
            "TLS_AES_(128|256)_GCM_SHA(256|384)|TLS_CHACHA20_POLY1305_SHA256"
                    + "|TLS_(ECDHE_(ECDSA|RSA)|DHE_RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");

    /**
     * TLS cannot be set up with these settings (stores unreadable, the receiver's certificate untrusted or not naming
     * the host): no retry helps until the configuration or the certificate is fixed.
     */
    static final class TlsSetupException extends Exception {
        TlsSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private MllpClient() {}

    /** Sends {@code message} and waits up to {@code timeout} for the answer; I/O errors and timeouts are thrown. */
    static String exchange(String host, int port, DestinationTlsConfig tls, Duration timeout, String message)
            throws IOException, TlsSetupException {
        try (Socket s = connect(host, port, tls)) {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(START);
            frame.write(message.getBytes(StandardCharsets.UTF_8));
            frame.write(END);
            frame.write(CR);
            out.write(frame.toByteArray());
            out.flush();
            return readFrame(s.getInputStream());
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) throw new IOException("connection closed before an answer");
        }
        while ((b = in.read()) != END) {
            if (b < 0) throw new IOException("connection closed in the middle of the answer");
            if (body.size() >= MAX_ANSWER) throw new IOException("answer longer than " + MAX_ANSWER + " bytes");
            body.write(b);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static Socket connect(String host, int port, DestinationTlsConfig tls) throws IOException, TlsSetupException {
        if (tls == null || !tls.enabled()) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return s;
        }
        SSLSocket s = (SSLSocket) context(tls).getSocketFactory().createSocket();
        try {
            s.setEnabledProtocols(tls.protocols().toArray(String[]::new));
            s.setEnabledCipherSuites(Arrays.stream(s.getSupportedCipherSuites())
                    .filter(c -> BCP195_SUITES.matcher(c).matches()).toArray(String[]::new));
            if (tls.verifyHostname()) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
            }
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(CONNECT_TIMEOUT_MS);
            s.startHandshake();
            return s;
        } catch (javax.net.ssl.SSLHandshakeException e) {
            s.close();
            // an untrusted certificate, one that does not name the host, or no common protocol: retrying changes nothing
            throw new TlsSetupException("TLS handshake with " + host + ":" + port + " failed: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static SSLContext context(DestinationTlsConfig tls) throws TlsSetupException {
        try {
            KeyManager[] keys = null;
            if (tls.keyStore() != null && !tls.keyStore().isBlank()) {
                char[] pw = password(tls.keyStorePassword());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(KeyStore.getInstance(Path.of(tls.keyStore()).toFile(), pw), pw);
                keys = kmf.getKeyManagers();
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            boolean own = tls.trustStore() != null && !tls.trustStore().isBlank();
            tmf.init(own ? KeyStore.getInstance(Path.of(tls.trustStore()).toFile(), password(tls.trustStorePassword())) : null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new TlsSetupException("cannot load the TLS key or trust store (" + tls + "): " + e.getMessage(), e);
        }
    }

    private static char[] password(String p) {
        return p == null ? new char[0] : p.toCharArray();
    }
}
