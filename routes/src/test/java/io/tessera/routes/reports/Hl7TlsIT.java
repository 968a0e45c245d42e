package io.tessera.routes.reports;

import static io.tessera.routes.reports.Hl7RouteIT.msa1;
import static io.tessera.routes.reports.Hl7RouteIT.receive;
import static io.tessera.routes.reports.Hl7RouteIT.send;
import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.Hl7Config;
import io.tessera.config.Hl7TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLLP over TLS on loopback with keys and certificates made by openssl and keytool at test time: ORUs over TLS are
 * acknowledged and stored, clear text on the TLS port and a missing client certificate (when required) are closed
 * unanswered while the listener keeps serving, and the frame limit still holds inside TLS.
 */
class Hl7TlsIT {
    private static final String PASSWORD = "changeit";
    private static final int MAX_FRAME = 4096;
    @TempDir static Path keys;
    @TempDir Path dir;
    private ReportStore store;
    private CamelContext camel;
    private int port;

    @BeforeAll
    static void makeKeysAndCertificates() throws Exception {
        for (String who : List.of("server", "client")) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=" + who, "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", keys.resolve(who + ".key").toString(), "-out", keys.resolve(who + ".pem").toString());
            run("openssl", "pkcs12", "-export", "-name", who, "-passout", "pass:" + PASSWORD,
                    "-in", keys.resolve(who + ".pem").toString(), "-inkey", keys.resolve(who + ".key").toString(),
                    "-out", keys.resolve(who + ".p12").toString());
        }
        for (String who : List.of("server", "client")) {
            String other = who.equals("server") ? "client" : "server";
            run("keytool", "-importcert", "-noprompt", "-alias", other, "-storetype", "PKCS12", "-storepass", PASSWORD,
                    "-file", keys.resolve(other + ".pem").toString(), "-keystore", keys.resolve(who + "-trust.p12").toString());
        }
    }

    @AfterEach
    void stop() {
        if (camel != null) camel.stop();
        if (store != null) store.close();
    }

    @Test
    void an_oru_over_mllp_tls_is_acknowledged_and_stored_with_or_without_a_client_certificate() throws Exception {
        start(false);
        try (SSLSocket s = tlsClient(false)) {
            assertEquals("AA", msa1(exchange(s, Oru.report("TLS-1", "ACC-TLS-1"))));
        }
        try (SSLSocket s = tlsClient(true)) {
            assertEquals("AA", msa1(exchange(s, Oru.report("TLS-2", "ACC-TLS-2"))));
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(s.getSession().getProtocol()), s.getSession().getProtocol());
        }
        assertEquals(1, store.findFor(null, "ACC-TLS-1").size());
        assertEquals(1, store.findFor(null, "ACC-TLS-2").size());
    }

    @Test
    void the_same_oru_in_clear_text_on_the_tls_port_is_closed_unanswered_and_the_listener_stays_up() throws Exception {
        start(false);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(10_000);
            send(plain.getOutputStream(), Oru.report("PLAIN-1", "ACC-PLAIN-1").getBytes(StandardCharsets.ISO_8859_1));
            assertClosedUnanswered(plain);
        }
        assertEquals(0, store.findFor(null, "ACC-PLAIN-1").size(), "nothing stored");
        try (SSLSocket s = tlsClient(false)) {
            assertEquals("AA", msa1(exchange(s, Oru.report("TLS-3", "ACC-TLS-3"))), "still serving over TLS");
        }
    }

    @Test
    void with_require_client_cert_a_client_without_a_certificate_is_refused() throws Exception {
        start(true);
        try (SSLSocket s = tlsClient(false)) {
            try {
                send(s.getOutputStream(), Oru.report("NOCERT-1", "ACC-NOCERT-1").getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException refusedInHandshake) {
                // TLSv1.2 fails the handshake itself; TLSv1.3 fails the first read after it
            }
            assertClosedUnanswered(s);
        }
        assertEquals(0, store.findFor(null, "ACC-NOCERT-1").size());
        try (SSLSocket s = tlsClient(true)) {
            assertEquals("AA", msa1(exchange(s, Oru.report("CERT-1", "ACC-CERT-1"))), "a client with its certificate is served");
        }
    }

    @Test
    void a_frame_over_the_limit_inside_tls_is_cut_off() throws Exception {
        start(false);
        try (SSLSocket s = tlsClient(false)) {
            byte[] big = ("MSH|^~\\&|RIS|HOSP|TESSERA|AI|20250101120000||ORU^R01|BIG|P|2.5\r" + "x".repeat(3 * MAX_FRAME))
                    .getBytes(StandardCharsets.ISO_8859_1);
            try {
                send(s.getOutputStream(), big);
            } catch (IOException cutOffWhileSending) {
                // the listener reset the connection before the whole frame was written
            }
            assertClosedUnanswered(s);
        }
        try (SSLSocket s = tlsClient(false)) {
            assertEquals("AA", msa1(exchange(s, Oru.report("TLS-4", "ACC-TLS-4"))));
        }
    }

    @Test
    void a_connection_that_never_starts_the_handshake_is_closed_by_the_idle_timeout() throws Exception {
        start(false);
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            silent.setSoTimeout(20_000);
            assertClosedUnanswered(silent);
        }
        try (SSLSocket s = tlsClient(false)) {
            assertEquals("AA", msa1(exchange(s, Oru.report("TLS-5", "ACC-TLS-5"))));
        }
    }

    @Test
    void an_unreadable_key_store_stops_the_start_with_its_code_and_no_password() {
        Hl7Config config = Hl7Config.defaults().withTls(new Hl7TlsConfig(true, keys.resolve("server.p12").toString(), "wrong-pw",
                "", "", false, List.of("TLSv1.3", "TLSv1.2")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Hl7Route(handler(), config));
        assertTrue(e.getMessage().startsWith("TSR-0721"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-pw"), e.getMessage());
    }

    private void start(boolean requireClientCert) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Hl7Config config = new Hl7Config(true, "127.0.0.1", port, "OBR-3", MAX_FRAME, Duration.ofSeconds(2), 8, 4, List.of(), List.of())
                .withTls(new Hl7TlsConfig(true, keys.resolve("server.p12").toString(), PASSWORD,
                        keys.resolve("server-trust.p12").toString(), PASSWORD, requireClientCert, List.of("TLSv1.3", "TLSv1.2")));
        camel = new DefaultCamelContext();
        camel.addRoutes(new Hl7Route(handler(), config));
        camel.start();
    }

    private Hl7ReportHandler handler() {
        if (store == null) store = new ReportStore("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
        Clock clock = Clock.systemUTC();
        return new Hl7ReportHandler(new ReportIntake(store, (r, st) -> {}, clock), "OBR-3", clock);
    }

    /** A TLS client that trusts the server's certificate; with {@code withCertificate} it offers its own. */
    private SSLSocket tlsClient(boolean withCertificate) throws Exception {
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(KeyStore.getInstance(keys.resolve("client.p12").toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStore.getInstance(keys.resolve("client-trust.p12").toFile(), PASSWORD.toCharArray()));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String exchange(Socket s, String message) throws IOException {
        send(s.getOutputStream(), message.getBytes(StandardCharsets.ISO_8859_1));
        return receive(s.getInputStream());
    }

    /**
     * The peer closes (end of stream or reset) without an MLLP answer; a clear-text client may first get the bytes of
     * a TLS alert record (content type 21), never a frame (VT).
     */
    private static void assertClosedUnanswered(Socket s) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try {
            for (int b = s.getInputStream().read(); b >= 0; b = s.getInputStream().read()) got.write(b);
        } catch (java.net.SocketTimeoutException e) {
            fail("the listener kept the connection open");
        } catch (IOException closed) {
            // reset, or a TLS alert: closed
        }
        byte[] bytes = got.toByteArray();
        assertTrue(bytes.length == 0 || bytes[0] == 21, "nothing but a TLS alert: " + java.util.Arrays.toString(bytes));
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("MSA|"), "no ACK");
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
