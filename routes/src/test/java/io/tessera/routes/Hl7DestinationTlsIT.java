package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.DestinationConfig;
import io.tessera.config.DestinationTlsConfig;
import io.tessera.fhir.FhirTransaction;
import io.tessera.testkit.MllpListener;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code hl7} destination over MLLP TLS to a TLS listener on loopback, keys and certificates made by openssl and
 * keytool at test time: a trusted receiver whose certificate names 127.0.0.1 gets the ORU^R01; an untrusted one, or a
 * trust store that cannot be read, parks at once (TSR-0734) and its password is never in the reason.
 */
class Hl7DestinationTlsIT {
    private static final String PASSWORD = "changeit";
    @TempDir static Path keys;
    @TempDir Path dir;
    private MllpListener ris;

    @BeforeAll
    static void makeKeysAndCertificates() throws Exception {
        for (String who : List.of("ris", "stranger")) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=" + who, "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", keys.resolve(who + ".key").toString(), "-out", keys.resolve(who + ".pem").toString());
            run("openssl", "pkcs12", "-export", "-name", who, "-passout", "pass:" + PASSWORD,
                    "-in", keys.resolve(who + ".pem").toString(), "-inkey", keys.resolve(who + ".key").toString(),
                    "-out", keys.resolve(who + ".p12").toString());
            run("keytool", "-importcert", "-noprompt", "-alias", who, "-storetype", "PKCS12", "-storepass", PASSWORD,
                    "-file", keys.resolve(who + ".pem").toString(), "-keystore", keys.resolve(who + "-trust.p12").toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    @AfterEach
    void stop() throws Exception {
        if (ris != null) ris.close();
    }

    private void startRis() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(keys.resolve("ris.p12").toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10,
                InetAddress.getLoopbackAddress());
        ris = new MllpListener(server);
    }

    private void send(String trustStore, String password) throws Exception {
        Destination d = Destinations.of(new DestinationConfig("ris", "hl7", null, "127.0.0.1", ris.port(), null, null,
                new DestinationTlsConfig(true, keys.resolve(trustStore).toString(), password, null, null, null),
                Duration.ofSeconds(5), null, false, null));
        Path bundle = Files.writeString(dir.resolve("fhir-6.json"), FhirTransaction.json(NotifyFixtures.resultSet(6)));
        d.send(new Transport("TESSERA"), "1.2", "fhir-6", bundle);
    }

    @Test
    void a_trusted_receiver_naming_its_address_gets_the_oru_over_tls() throws Exception {
        startRis();
        send("ris-trust.p12", PASSWORD);
        assertEquals(1, ris.received.size());
        assertEquals("ORU^R01^ORU_R01", MllpListener.field(ris.received.get(0), 9));
    }

    @Test
    void an_untrusted_receiver_or_an_unreadable_trust_store_parks_at_once() throws Exception {
        startRis();
        Deliverer.DeliveryException untrusted = assertThrows(Deliverer.DeliveryException.class,
                () -> send("stranger-trust.p12", PASSWORD));
        assertFalse(untrusted.retryable());
        assertTrue(untrusted.getMessage().startsWith("TSR-0734") && untrusted.getMessage().contains("handshake"),
                untrusted.getMessage());
        Deliverer.DeliveryException unreadable = assertThrows(Deliverer.DeliveryException.class,
                () -> send("ris-trust.p12", "wrong-pw"));
        assertFalse(unreadable.retryable());
        assertTrue(unreadable.getMessage().startsWith("TSR-0734"), unreadable.getMessage());
        assertFalse(unreadable.getMessage().contains("wrong-pw"), "no password in the reason");
        assertEquals(0, ris.received.size(), "nothing reached the receiver");
    }
}
