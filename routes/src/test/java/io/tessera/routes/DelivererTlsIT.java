package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The Deliverer sends to Tessera's own DICOM listener over TLS, with a client certificate the listener requires. */
class DelivererTlsIT {
    private static final String PASSWORD = "changeit";
    @TempDir Path dir;
    private StudyIndex index;
    private DicomListener listener;

    @AfterEach
    void stop() {
        if (listener != null) listener.stop(Duration.ofMillis(300));
        if (index != null) index.close();
    }

    @Test
    void a_dicom_destination_with_tls_settings_is_delivered_over_tls_and_audited() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String who : List.of("server", "client")) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "2", "-subj", "/CN=" + who,
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
        Path spool = dir.resolve("spool");
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback("TESSERA_IN", spool).withTls(new TlsSettings(0,
                keys.resolve("server.p12"), PASSWORD, keys.resolve("server-trust.p12"), PASSWORD, true,
                TlsSettings.BCP195_PROTOCOLS), -1), index);
        listener.start();
        StudyInfo study = new StudyInfo(Uids.derive("tls-study"), "PID-TLS", "Tls^Test", "19700101", "O", "ACC-1",
                "20240102", "101112", "TLS delivery", "S1");
        Grid grid = Grid.axial(8, 6, 1, new double[] {0, 0, 0}, new double[] {1, 1, 2});
        String series = Uids.derive("tls-series");
        Path slice = new CtSeriesWriter().write(Volume.zeros(grid), study,
                CtSeriesSpec.of(series, Uids.derive(series, "for"), "TLS CT"), dir.resolve("ct")).get(0);
        String sop = io.tessera.dicomio.DicomHeaders.read(slice).get("SOPInstanceUID");
        DestinationConfig dest = new DestinationConfig("own", "dicom", "TESSERA_IN", "127.0.0.1", listener.tlsPort(),
                null, null, new DestinationTlsConfig(true, keys.resolve("client-trust.p12").toString(), PASSWORD,
                keys.resolve("client.p12").toString(), PASSWORD, null));

        new Deliverer("TESSERA_OUT", ExportAudit.to(listener::auditLog)).deliver(dest, study.studyInstanceUid(), sop, slice);

        assertEquals(1, index.instances(study.studyInstanceUid()).size());
        String audit = Files.readString(listener.auditLog().file());
        assertTrue(audit.contains("\"event\":\"export\"") && audit.contains("\"outcome\":\"success\"")
                && audit.contains("TESSERA_IN@127.0.0.1:" + listener.tlsPort() + " tls"), audit);
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
