package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Uids;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tessera's SCU over DICOM TLS to dcmtk {@code storescp +tls} (built with OpenSSL): keys and self-signed certificates
 * are made by openssl and keytool at test time.
 */
class StoreScuTlsIT {
    private static final String PASSWORD = "changeit";
    @TempDir static Path keys;
    @TempDir Path dir;
    private Process storescp;
    private int port;
    private Path received;

    @BeforeAll
    static void makeKeysAndCertificates() throws Exception {
        for (String who : List.of("server", "client", "stranger")) {
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + who,
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", keys.resolve(who + ".key").toString(), "-out", keys.resolve(who + ".pem").toString());
        }
        run("openssl", "pkcs12", "-export", "-name", "tessera", "-passout", "pass:" + PASSWORD,
                "-in", keys.resolve("client.pem").toString(), "-inkey", keys.resolve("client.key").toString(),
                "-out", keys.resolve("client.p12").toString());
        run("openssl", "pkcs12", "-export", "-name", "server", "-passout", "pass:" + PASSWORD,
                "-in", keys.resolve("server.pem").toString(), "-inkey", keys.resolve("server.key").toString(),
                "-out", keys.resolve("server.p12").toString());
        for (String who : List.of("server", "stranger")) {
            run("keytool", "-importcert", "-noprompt", "-alias", who, "-storetype", "PKCS12", "-storepass", PASSWORD,
                    "-file", keys.resolve(who + ".pem").toString(), "-keystore", keys.resolve("trust-" + who + ".p12").toString());
        }
    }

    @AfterEach
    void stop_storescp() throws Exception {
        StorescpPeer.stop(storescp);
    }

    @Test
    void sends_a_ct_series_over_tls_with_a_client_certificate_the_server_requires() throws Exception {
        startStorescp("-rc", "+cf", keys.resolve("client.pem").toString());
        List<Path> ct = ctSeries("tls-ok");
        ScuTls tls = new ScuTls(keys.resolve("trust-server.p12"), PASSWORD, keys.resolve("client.p12"), PASSWORD,
                List.of("TLSv1.3", "TLSv1.2"));

        StoreReport report = new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", ct, tls);

        assertTrue(report.allStored(), () -> report.failures().toString());
        try (Stream<Path> s = Files.list(received)) {
            assertEquals(ct.size(), s.count());
        }
    }

    @Test
    void refuses_a_server_whose_certificate_is_not_in_the_trust_store() throws Exception {
        startStorescp("-ic");
        List<Path> ct = ctSeries("tls-untrusted");
        ScuTls tls = new ScuTls(keys.resolve("trust-stranger.p12"), PASSWORD, null, null, null);

        DicomNetworkException e = assertThrows(DicomNetworkException.class,
                () -> new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", ct, tls));

        assertTrue(e.getMessage().startsWith("TSR-0403") && e.getMessage().contains("not trusted"), e.getMessage());
        try (Stream<Path> s = Files.list(received)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void fails_cleanly_when_the_server_requires_a_client_certificate_and_none_is_configured() throws Exception {
        startStorescp("-rc", "+cf", keys.resolve("client.pem").toString());
        List<Path> ct = ctSeries("tls-nocert");
        ScuTls tls = new ScuTls(keys.resolve("trust-server.p12"), PASSWORD, null, null, List.of("TLSv1.2"));

        DicomNetworkException e = assertThrows(DicomNetworkException.class,
                () -> new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", ct, tls));

        assertTrue(e.getMessage().startsWith("TSR-040"), e.getMessage());
    }

    @Test
    void a_peer_that_completes_the_handshake_and_never_answers_times_out_on_association() throws Exception {
        List<Path> ct = ctSeries("tls-silent").subList(0, 1);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(keys.resolve("server.p12").toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        try (ServerSocket silent = server.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        SSLSocket s = (SSLSocket) silent.accept();
                        held.add(s);
                        s.startHandshake(); // TLS is up; the A-ASSOCIATE-RQ is never answered
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ScuTls tls = new ScuTls(keys.resolve("trust-server.p12"), PASSWORD, null, null, null);
            DicomNetworkException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                    DicomNetworkException.class,
                    () -> new StoreScu().send("127.0.0.1", silent.getLocalPort(), "TESSERA", "PEER", ct, tls, Duration.ofMillis(500))),
                    "the association request over TLS is bounded by the timeout");
            assertEquals(DicomNetworkException.Kind.TIMEOUT, e.kind(), e.getMessage());
            for (Socket s : held) s.close();
        }
    }

    @Test
    void refuses_a_protocol_older_than_bcp_195_allows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScuTls(null, null, null, null, List.of("TLSv1.1")));
        assertTrue(e.getMessage().startsWith("TSR-0404"), e.getMessage());
    }

    private List<Path> ctSeries(String name) throws Exception {
        return new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive(name)), dir.resolve(name));
    }

    private void startStorescp(String... peerAuth) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        received = Files.createDirectories(dir.resolve("received"));
        List<String> options = new ArrayList<>(List.of("+tls", keys.resolve("server.key").toString(),
                keys.resolve("server.pem").toString()));
        options.addAll(List.of(peerAuth));
        storescp = StorescpPeer.start(dir, received, port, options.toArray(String[]::new));
        awaitListening();
    }

    /** Waits until storescp accepts TCP connections (bounded; there is no readiness signal to wait on). */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!storescp.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("storescp did not start: " + Files.readString(StorescpPeer.log(dir, port)), e);
                }
                Thread.sleep(30);
            }
        }
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
