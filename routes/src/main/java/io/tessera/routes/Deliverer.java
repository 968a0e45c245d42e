package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.config.DestinationTlsConfig;
import io.tessera.config.FhirAuthConfig;
import io.tessera.dicomio.DicomNetworkException;
import io.tessera.dicomio.ScuTls;
import io.tessera.dicomio.StoreReport;
import io.tessera.dicomio.StoreScu;
import io.tessera.fhir.FhirPusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends result files to a destination: C-STORE to a DICOM node, a transaction Bundle to a FHIR server ({@link FhirPusher}), or a copy into a folder
 * ({@code <path>/<StudyInstanceUID>/<SOPInstanceUID>.dcm}, written to a temporary name and moved, so a reader never
 * sees half a file). A {@code dicom} destination with {@code tls} is sent to over DICOM TLS with its own stores.
 * Throws with a reason an operator can act on when the destination does not take them. Every attempt, whatever its
 * outcome, is handed to the {@link ExportAudit} (destination, target, study and SOP instance UIDs, outcome, bytes, time).
 */
public final class Deliverer {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    private final String callingAeTitle;
    private final ExportAudit audit;
    private final StoreScu scu = new StoreScu();
    private final FhirPusher fhir = new FhirPusher();

    public Deliverer(String callingAeTitle) {
        this(callingAeTitle, ExportAudit.NONE);
    }

    /** {@code audit} receives one record per {@link #deliver} call, whatever its outcome. */
    public Deliverer(String callingAeTitle, ExportAudit audit) {
        this.callingAeTitle = callingAeTitle;
        this.audit = audit;
    }

    public void deliver(DestinationConfig dest, String studyUid, String sopInstanceUid, Path file) throws DeliveryException {
        long start = System.nanoTime();
        String reason = null;
        try {
            switch (dest.type()) {
                case "dicom" -> store(dest, List.of(file));
                case "folder" -> copy(dest, studyUid, sopInstanceUid, file);
                case "fhir" -> push(dest, file);
                default -> throw new DeliveryException("TSR-0700: destination '" + dest.name() + "' has unsupported type " + dest.type(),
                        false);
            }
        } catch (DeliveryException | RuntimeException e) {
            reason = String.valueOf(e.getMessage());
            throw e;
        } finally {
            record(dest, studyUid, sopInstanceUid, file, reason, Duration.ofNanos(System.nanoTime() - start));
        }
        log.info("delivered {} to destination '{}'", file.getFileName(), dest.name());
    }

    /**
     * Checks that a DICOM destination answers: a C-ECHO (over TLS destinations, which C-ECHO here cannot reach, and
     * folder destinations, nothing is checked: their next send is the probe).
     */
    public void echo(DestinationConfig dest) throws DeliveryException {
        if (!"dicom".equals(dest.type()) || dest.usesTls()) return;
        try {
            scu.echo(dest.host(), dest.port(), callingAeTitle, dest.aeTitle(), dest.timeoutOrDefault());
        } catch (DicomNetworkException e) {
            throw new DeliveryException("TSR-0706: C-ECHO to destination '" + dest.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private void record(DestinationConfig dest, String studyUid, String sopInstanceUid, Path file, String reason,
            Duration took) {
        try {
            long bytes = Files.exists(file) ? Files.size(file) : 0;
            String target = "dicom".equals(dest.type())
                    ? dest.aeTitle() + "@" + dest.host() + ":" + dest.port() + (dest.usesTls() ? " tls" : "")
                    : "fhir".equals(dest.type()) ? dest.url() : String.valueOf(dest.path());
            audit.record(new ExportAudit.Export(dest.name(), dest.type(), target, studyUid, sopInstanceUid, reason == null,
                    reason, bytes, took));
        } catch (IOException | RuntimeException e) {
            log.warn("TSR-0704: cannot record the export of {} to '{}' in the audit log: {}", sopInstanceUid, dest.name(),
                    e.toString());
        }
    }

    private static ScuTls tls(DestinationConfig dest) throws DeliveryException {
        if (!dest.usesTls()) return null;
        DestinationTlsConfig t = dest.tls();
        try {
            return new ScuTls(path(t.trustStore()), t.trustStorePassword(), path(t.keyStore()), t.keyStorePassword(),
                    t.protocols());
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("TSR-0705: destination '" + dest.name() + "' has unusable TLS settings: "
                    + e.getMessage(), e, false);
        }
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    private void store(DestinationConfig dest, List<Path> files) throws DeliveryException {
        String peer = "destination '" + dest.name() + "' (" + dest.aeTitle() + "@" + dest.host() + ":" + dest.port() + ")";
        try {
            StoreReport report = scu.send(dest.host(), dest.port(), callingAeTitle, dest.aeTitle(), files, tls(dest),
                    dest.timeoutOrDefault());
            if (!report.allStored()) {
                FailureClass c = classify(report);
                throw new DeliveryException("TSR-0701: " + peer + " did not store " + report.failures().size() + " of "
                        + files.size() + " object(s) [" + c.name().toLowerCase(java.util.Locale.ROOT) + "]: "
                        + report.failures() + (report.associationProblem() == null ? "" : "; " + report.associationProblem()),
                        null, c == FailureClass.RETRYABLE);
            }
            report.files().stream().filter(f -> f.status() == StoreReport.Status.WARNING).forEach(f ->
                    log.warn("TSR-0707: {} stored {} with warning status {}{}", peer, f.sopInstanceUid(), f.statusHex(),
                            f.errorComment() == null ? "" : " (" + f.errorComment().trim() + ")"));
        } catch (DicomNetworkException e) {
            FailureClass c = FailureClass.ofAssociation(e.kind());
            throw new DeliveryException("TSR-0702: cannot reach " + peer + " [" + e.kind().name().toLowerCase(java.util.Locale.ROOT)
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

    /** Pushes a transaction Bundle (written by the job runner) to a FHIR destination. */
    private void push(DestinationConfig dest, Path bundle) throws DeliveryException {
        String json;
        try {
            json = Files.readString(bundle);
        } catch (IOException e) {
            throw new DeliveryException("TSR-0708: cannot read the FHIR bundle " + bundle + " for destination '" + dest.name()
                    + "': " + e, e, false);
        }
        FhirAuthConfig a = dest.auth();
        FhirPusher.Auth auth = a == null ? null : new FhirPusher.Auth(a.type(), a.token(), a.username(), a.password());
        try {
            fhir.push(dest.url(), auth, dest.timeoutOrDefault(), json);
        } catch (FhirPusher.PushException e) {
            FailureClass c = e.status() == FhirPusher.PushException.NO_STATUS ? FailureClass.RETRYABLE : FailureClass.ofHttp(e.status());
            throw new DeliveryException("TSR-0709: FHIR destination '" + dest.name() + "' did not take the results ["
                    + c.name().toLowerCase(java.util.Locale.ROOT) + "]: " + e.getMessage(), e, c != FailureClass.PERMANENT);
        }
    }

    private static void copy(DestinationConfig dest, String studyUid, String sopInstanceUid, Path file) throws DeliveryException {
        try {
            Path dir = Path.of(dest.path()).resolve(studyUid);
            Files.createDirectories(dir);
            Path target = dir.resolve(sopInstanceUid + ".dcm");
            Path tmp = dir.resolve(sopInstanceUid + ".dcm.part");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeliveryException("TSR-0703: cannot write to folder destination '" + dest.name() + "' (" + dest.path() + "): " + e, e);
        }
    }

    /**
     * A destination did not take a result. {@link #retryable()}: worth another attempt later (connection refused, I/O,
     * timeout, transient association rejection, object not sent); false for a permanent refusal (a failure status, a
     * permanent association rejection, an unusable destination configuration).
     */
    public static final class DeliveryException extends Exception {
        private final boolean retryable;

        public DeliveryException(String message) {
            this(message, null, true);
        }

        public DeliveryException(String message, Throwable cause) {
            this(message, cause, true);
        }

        public DeliveryException(String message, boolean retryable) {
            this(message, null, retryable);
        }

        public DeliveryException(String message, Throwable cause, boolean retryable) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
