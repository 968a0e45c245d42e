package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends result files to a {@link Destination} (each kind sends its own way: C-STORE to a DICOM node, a transaction
 * Bundle to a FHIR server, a copy into a folder) with one shared {@link Transport}. Throws with a reason an operator
 * can act on when the destination does not take them. Every attempt, whatever its outcome, is handed to the
 * {@link ExportAudit} (destination, target, study and SOP instance UIDs, outcome, bytes, time).
 */
public final class Deliverer {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    private final Transport transport;
    private final ExportAudit audit;

    public Deliverer(String callingAeTitle) {
        this(callingAeTitle, ExportAudit.NONE);
    }

    /** {@code audit} receives one record per {@link #deliver} call, whatever its outcome. */
    public Deliverer(String callingAeTitle, ExportAudit audit) {
        this.transport = new Transport(callingAeTitle);
        this.audit = audit;
    }

    /** Delivers to a destination made from {@code dest} for this one call (tools and tests). */
    public void deliver(DestinationConfig dest, String studyUid, String sopInstanceUid, Path file) throws DeliveryException {
        deliver(Destinations.of(dest), studyUid, sopInstanceUid, file);
    }

    public void deliver(Destination dest, String studyUid, String sopInstanceUid, Path file) throws DeliveryException {
        long start = System.nanoTime();
        String reason = null;
        try {
            dest.send(transport, studyUid, sopInstanceUid, file);
        } catch (DeliveryException | RuntimeException e) {
            reason = String.valueOf(e.getMessage());
            throw e;
        } finally {
            record(dest, studyUid, sopInstanceUid, file, reason, Duration.ofNanos(System.nanoTime() - start));
        }
        log.info("delivered {} to destination '{}'", file.getFileName(), dest.name());
    }

    /** Checks that a destination answers, where it has a check ({@link Destination#probe}). */
    public void echo(Destination dest) throws DeliveryException {
        dest.probe(transport);
    }

    private void record(Destination dest, String studyUid, String sopInstanceUid, Path file, String reason,
            Duration took) {
        try {
            long bytes = Files.exists(file) ? Files.size(file) : 0;
            audit.record(new ExportAudit.Export(dest.name(), dest.type(), dest.auditTarget(), studyUid, sopInstanceUid,
                    reason == null, reason, bytes, took));
        } catch (IOException | RuntimeException e) {
            log.warn("TSR-0704: cannot record the export of {} to '{}' in the audit log: {}", sopInstanceUid, dest.name(),
                    e.toString());
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
