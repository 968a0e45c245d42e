package io.tessera.listener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** DICOM TLS against dcmtk (echoscu/storescu built with OpenSSL), with keys and certificates made by openssl and keytool. */
class DicomTlsIT {
    private static final String AE = "TESSERA";
    private static final String PASSWORD = "changeit";

    @TempDir static Path keys;
    @TempDir Path spool;
    @TempDir Path fixtures;
    private StudyIndex index;
    private DicomListener listener;

    @BeforeAll
    static void makeKeysAndCertificates() throws Exception {
        for (String who : List.of("server", "client", "stranger")) {
            Tool.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + who,
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", keys.resolve(who + ".key").toString(), "-out", keys.resolve(who + ".pem").toString()).ok();
        }
        Tool.run("openssl", "pkcs12", "-export", "-name", "tessera", "-passout", "pass:" + PASSWORD,
                "-in", keys.resolve("server.pem").toString(), "-inkey", keys.resolve("server.key").toString(),
                "-out", keys.resolve("server.p12").toString()).ok();
        Tool.run("keytool", "-importcert", "-noprompt", "-alias", "client", "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-file", keys.resolve("client.pem").toString(), "-keystore", keys.resolve("trust.p12").toString()).ok();
    }

    private void start(boolean requireClientCert, int plainPort) {
        TlsSettings tls = new TlsSettings(0, keys.resolve("server.p12"), PASSWORD, keys.resolve("trust.p12"), PASSWORD,
                requireClientCert, TlsSettings.BCP195_PROTOCOLS);
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback(AE, spool).withTls(tls, plainPort), index);
        listener.start();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(Duration.ofMillis(300));
        }
        if (index != null) {
            index.close();
        }
    }

    /** dcmtk over TLS as {@code who} (a key and certificate), or anonymous TLS when {@code who} is null. */
    private Tool tls(String tool, String who, List<String> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, "-aet", "MODALITY", "-aec", AE));
        if (who == null) {
            cmd.add("+tla");
        } else {
            cmd.addAll(List.of("+tls", keys.resolve(who + ".key").toString(), keys.resolve(who + ".pem").toString()));
        }
        cmd.addAll(List.of("+cf", keys.resolve("server.pem").toString(), "127.0.0.1", Integer.toString(listener.tlsPort())));
        cmd.addAll(files);
        return Tool.run(cmd);
    }

    @Test
    void a_client_with_a_trusted_certificate_echoes_and_stores_over_tls_beside_the_plain_port() throws Exception {
        start(true, 0);
        List<String> files = TinyCt.write(fixtures, 3).stream().map(Path::toString).toList();

        tls("echoscu", "client", List.of()).ok();
        tls("storescu", "client", files).ok();
        Tool.run("echoscu", "-aet", "PLAIN", "-aec", AE, "127.0.0.1", Integer.toString(listener.port())).ok();

        assertEquals(3, index.instances(TinyCt.STUDY).size());
        ListenerCounters c = listener.counters();
        assertEquals(3, c.associationsAccepted());
        assertEquals(2, c.tlsAssociations());
        assertEquals(0, c.tlsHandshakeFailures());
        listener.awaitIdle(Duration.ofSeconds(5));
        List<String> audit = Files.readAllLines(spool.resolve("audit").resolve("audit.log"));
        assertEquals(3, audit.size(), audit.toString());
        assertTrue(audit.get(1).contains("\"tls\":true,\"tlsPeer\":\"CN=client\"") && audit.get(1).contains("\"instances\":3"),
                audit.get(1));
        assertTrue(audit.get(2).contains("\"tls\":false"), audit.get(2));
    }

    @Test
    void a_client_without_a_certificate_or_with_an_untrusted_one_is_refused_when_client_certificates_are_required()
            throws Exception {
        start(true, ListenerSettings.NO_PORT);

        assertNotEquals(0, tls("echoscu", null, List.of()).exit());
        assertNotEquals(0, tls("echoscu", "stranger", List.of()).exit());

        listener.awaitIdle(Duration.ofSeconds(5));
        ListenerCounters c = listener.counters();
        assertEquals(2, c.tlsHandshakeFailures());
        assertEquals(0, c.associationsAccepted());
        assertThrows(IllegalStateException.class, listener::port, "no plain port when it is disabled");
        assertTrue(Files.readAllLines(spool.resolve("audit").resolve("audit.log")).stream()
                .allMatch(l -> l.contains("\"reason\":\"tls-handshake-failed\"")));
    }

    @Test
    void anonymous_tls_is_accepted_when_client_certificates_are_optional() throws Exception {
        start(false, ListenerSettings.NO_PORT);
        tls("echoscu", null, List.of()).ok();
        assertEquals(1, listener.counters().tlsAssociations());
    }
}
