package io.tessera.routes;

import io.tessera.listener.AuditLog;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Receives one record per delivery attempt, successful or not. Records carry UIDs, destinations and sizes, never
 * patient names or IDs.
 */
@FunctionalInterface
public interface ExportAudit {
    /** Discards records. */
    ExportAudit NONE = r -> { };

    void record(Export export);

    /**
     * One delivery attempt.
     *
     * @param destination    configured destination name
     * @param type           {@code dicom} or {@code folder}
     * @param target         where it went: {@code AE@host:port} (with {@code tls} when over TLS) or the folder
     * @param studyUid       the source study
     * @param sopInstanceUid the object sent
     * @param success        whether the destination took it
     * @param reason         why not (a TSR code and message), or null
     * @param bytes          size of the object sent
     * @param duration       how long the attempt took
     */
    record Export(String destination, String type, String target, String studyUid, String sopInstanceUid,
                  boolean success, String reason, long bytes, Duration duration) {}

    /**
     * Writes to the listener's append-only audit log (looked up at each record, so it may be started later; records
     * are dropped while it is null). The audit line's {@code target} reads {@code type:target/sopInstanceUid}.
     */
    static ExportAudit to(Supplier<AuditLog> log) {
        return e -> {
            AuditLog audit = log.get();
            if (audit == null) return;
            audit.export(new AuditLog.Export(e.destination(), e.type() + ":" + e.target() + "/" + e.sopInstanceUid(),
                    e.studyUid(), 1, e.bytes(), e.success(), e.reason(), e.duration()));
        };
    }
}
