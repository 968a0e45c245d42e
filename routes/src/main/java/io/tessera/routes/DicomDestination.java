package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.config.DestinationTlsConfig;
import io.tessera.dicomio.DicomNetworkException;
import io.tessera.dicomio.ScuTls;
import io.tessera.dicomio.StoreReport;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DICOM node ({@code type: dicom}): results and forwarded instances go out by C-STORE, over DICOM TLS with its own
 * stores when {@code tls} is set. It takes the burned-in Secondary Capture series when {@code burnedInFallback} is
 * set; its circuit opens after repeated failures and is probed with C-ECHO (not over TLS, which C-ECHO here cannot
 * reach: there the next send is the probe).
 */
record DicomDestination(DestinationConfig config) implements Destination {
    // the deliverer's log, as before destinations had classes: operators filter on it
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    @Override
    public boolean takesImages() {
        return true;
    }

    @Override
    public boolean wantsBurnedInFallback() {
        return config.burnedInFallback();
    }

    @Override
    public boolean opensCircuit() {
        return true;
    }

    @Override
    public String auditTarget() {
        return config.aeTitle() + "@" + config.host() + ":" + config.port() + (config.usesTls() ? " tls" : "");
    }

    @Override
    public void probe(Transport via) throws Deliverer.DeliveryException {
        if (config.usesTls()) return;
        try {
            via.scu().echo(config.host(), config.port(), via.callingAeTitle(), config.aeTitle(), config.timeoutOrDefault());
        } catch (DicomNetworkException e) {
            throw new Deliverer.DeliveryException("TSR-0706: C-ECHO to destination '" + config.name() + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void send(Transport via, String studyUid, String sopInstanceUid, Path file) throws Deliverer.DeliveryException {
        store(via, List.of(file));
    }

    private void store(Transport via, List<Path> files) throws Deliverer.DeliveryException {
        DestinationConfig dest = config;
        String peer = "destination '" + dest.name() + "' (" + dest.aeTitle() + "@" + dest.host() + ":" + dest.port() + ")";
        try {
            StoreReport report = via.scu().send(dest.host(), dest.port(), via.callingAeTitle(), dest.aeTitle(), files, tls(dest),
                    dest.timeoutOrDefault());
            if (!report.allStored()) {
                FailureClass c = classify(report);
                throw new Deliverer.DeliveryException("TSR-0701: " + peer + " did not store " + report.failures().size() + " of "
                        + files.size() + " object(s) [" + c.name().toLowerCase(java.util.Locale.ROOT) + "]: "
                        + report.failures() + (report.associationProblem() == null ? "" : "; " + report.associationProblem()),
                        null, c == FailureClass.RETRYABLE);
            }
            report.files().stream().filter(f -> f.status() == StoreReport.Status.WARNING).forEach(f ->
                    log.warn("TSR-0707: {} stored {} with warning status {}{}", peer, f.sopInstanceUid(), f.statusHex(),
                            f.errorComment() == null ? "" : " (" + f.errorComment().trim() + ")"));
        } catch (DicomNetworkException e) {
            FailureClass c = FailureClass.ofAssociation(e.kind());
            throw new Deliverer.DeliveryException("TSR-0702: cannot reach " + peer + " [" + e.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ", " + c.name().toLowerCase(java.util.Locale.ROOT) + "]: " + e.getMessage(), e, c == FailureClass.RETRYABLE);
        }
    }

    /**
     * A report with failures is retryable only if every failure is: an object never answered (the association ended
     * early) or a retryable status. An unreadable file or a permanent status makes the whole send permanent.
     */
    static FailureClass classify(StoreReport report) {
        FailureClass worst = FailureClass.DELIVERED;
        for (StoreReport.FileStatus f : report.failures()) {
            FailureClass c = f.status() == StoreReport.Status.NOT_SENT ? FailureClass.RETRYABLE
                    : f.dimseStatus() == StoreReport.NO_STATUS ? FailureClass.PERMANENT
                    : FailureClass.ofDimse(f.dimseStatus());
            // PixelMed counts exactly 0000/B000/B006/B007 as success, so a FAILED file never has one; if it does, park it
            if (c == FailureClass.DELIVERED) c = FailureClass.PERMANENT;
            if (c == FailureClass.PERMANENT) return c;
            worst = c;
        }
        return worst;
    }

    private static ScuTls tls(DestinationConfig dest) throws Deliverer.DeliveryException {
        if (!dest.usesTls()) return null;
        DestinationTlsConfig t = dest.tls();
        try {
            return new ScuTls(path(t.trustStore()), t.trustStorePassword(), path(t.keyStore()), t.keyStorePassword(),
                    t.protocols(), t.verifyHostname());
        } catch (IllegalArgumentException e) {
            throw new Deliverer.DeliveryException("TSR-0705: destination '" + dest.name() + "' has unusable TLS settings: "
                    + e.getMessage(), e, false);
        }
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }
}
