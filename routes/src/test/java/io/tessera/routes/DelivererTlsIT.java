package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.DestinationConfig;
import io.tessera.config.DestinationTlsConfig;
import io.tessera.core.Grid;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.CtSeriesWriter;
import io.tessera.listener.DicomListener;
import io.tessera.listener.ListenerSettings;
import io.tessera.listener.StudyIndex;
import io.tessera.listener.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Deliverer sends to Tessera's own DICOM listener over TLS, with a client certificate the listener requires; the
 * listener's certificate must name the destination's host (SAN) unless {@code verifyHostname} is off.
 */
class DelivererTlsIT {
    private static final String PASSWORD = "changeit";
    @TempDir Path dir;
    private StudyIndex index;
    private DicomListener listener;
    private Path keys;

    @AfterEach
    void stop() {
        if (listener != null) listener.stop(Duration.ofMillis(300));
        if (index != null) index.close();
    }

    @Test
    void a_dicom_destination_with_tls_settings_is_delivered_over_tls_and_audited() throws Exception {
        startListener("IP:127.0.0.1");
        Slice slice = slice("tls");

        new Deliverer("TESSERA_OUT", ExportAudit.to(listener::auditLog)).deliver(destination(null), slice.study(), slice.sop(), slice.file());

        assertEquals(1, index.instances(slice.study()).size());
        String audit = Files.readString(listener.auditLog().file());
        assertTrue(audit.contains("\"event\":\"export\"") && audit.contains("\"outcome\":\"success\"")
                && audit.contains("TESSERA_IN@127.0.0.1:" + listener.tlsPort() + " tls"), audit);
    }

    @Test
    void a_trusted_server_whose_certificate_names_another_host_is_refused_and_the_failure_recorded() throws Exception {
        startListener("DNS:pacs.example.org");
        Slice slice = slice("tls-wrong-name");

        Deliverer.DeliveryException e = assertThrows(Deliverer.DeliveryException.class,
                () -> new Deliverer("TESSERA_OUT", ExportAudit.to(listener::auditLog)).deliver(destination(null), slice.study(),
                        slice.sop(), slice.file()));

        assertTrue(e.getMessage().contains("TSR-0406") && e.getMessage().contains("does not name 127.0.0.1"), e.getMessage());
        assertFalse(e.retryable(), "a certificate for another host does not fix itself");
        assertEquals(0, index.instances(slice.study()).size());
        String audit = Files.readString(listener.auditLog().file());
        assertTrue(audit.contains("\"event\":\"export\"") && audit.contains("\"outcome\":\"failure\"") && audit.contains("TSR-0406"),
                audit);
    }

    @Test
    void a_certificate_that_names_another_host_is_accepted_when_verify_hostname_is_off() throws Exception {
        startListener("DNS:pacs.example.org");
        Slice slice = slice("tls-no-name-check");

        new Deliverer("TESSERA_OUT", ExportAudit.to(listener::auditLog)).deliver(destination(false), slice.study(), slice.sop(),
                slice.file());

        assertEquals(1, index.instances(slice.study()).size());
    }

    private record Slice(String study, String sop, Path file) {}

    /** Listener over TLS that requires our client certificate; its own certificate carries {@code serverSan}. */
    private void startListener(String serverSan) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String who : List.of("server", "client")) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "2", "-subj", "/CN=" + who, "-addext", "subjectAltName=" + (who.equals("server") ? serverSan : "DNS:client"),
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
        this.keys = keys;
        Path spool = dir.resolve("spool");
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback("TESSERA_IN", spool).withTls(new TlsSettings(0,
                keys.resolve("server.p12"), PASSWORD, keys.resolve("server-trust.p12"), PASSWORD, true,
                TlsSettings.BCP195_PROTOCOLS), -1), index);
        listener.start();
    }

    private Slice slice(String name) throws Exception {
        StudyInfo study = new StudyInfo(Uids.derive(name + "-study"), "PID-TLS", "Tls^Test", "19700101", "O", "ACC-1",
                "20240102", "101112", "TLS delivery", "S1");
        Grid grid = Grid.axial(8, 6, 1, new double[] {0, 0, 0}, new double[] {1, 1, 2});
        String series = Uids.derive(name + "-series");
        Path file = new CtSeriesWriter().write(Volume.zeros(grid), study,
                CtSeriesSpec.of(series, Uids.derive(series, "for"), "TLS CT"), dir.resolve("ct-" + name)).get(0);
        return new Slice(study.studyInstanceUid(), io.tessera.dicomio.DicomHeaders.read(file).get("SOPInstanceUID"), file);
    }

    /** Our own listener's TLS port; {@code verifyHostname} null: the default. */
    private DestinationConfig destination(Boolean verifyHostname) {
        return new DestinationConfig("own", "dicom", "TESSERA_IN", "127.0.0.1", listener.tlsPort(),
                null, null, new DestinationTlsConfig(true, keys.resolve("client-trust.p12").toString(), PASSWORD,
                keys.resolve("client.p12").toString(), PASSWORD, null, verifyHostname));
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
