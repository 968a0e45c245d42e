package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.FhirTransaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Puts one job's results in the {@link Outbox}, per destination type: the SEG for {@code dicom} and {@code folder}
 * destinations (plus the burned-in Secondary Capture series for a {@code dicom} destination with
 * {@code burnedInFallback}), the FHIR transaction Bundle for {@code fhir} destinations. The Bundle is written next to
 * the SEG ({@code fhir-<report id>.json}, temporary name then atomic move) before it is enqueued, so a restart finds
 * the same bytes; its outbox key is {@code fhir-<report id>}, unique per study version, model and series.
 */
final class ResultEnqueuer {
    private final Outbox outbox;

    ResultEnqueuer(Outbox outbox) {
        this.outbox = outbox;
    }

    /** {@code fallback}: the Secondary Capture files, made on first need (null when no destination wants them). */
    void enqueue(String studyUid, int version, List<DestinationConfig> destinations, String segSop, Path segFile,
                 FhirResultSet fhir, FallbackSeries fallback) throws IOException {
        for (DestinationConfig dest : destinations) {
            if ("fhir".equals(dest.type())) {
                Path bundle = writeBundle(segFile.getParent(), fhir);
                outbox.enqueue(studyUid, version, dest.name(), "fhir-" + fhir.reportId(), bundle);
                continue;
            }
            outbox.enqueue(studyUid, version, dest.name(), segSop, segFile);
            if (dest.burnedInFallback() && fallback != null) {
                for (FallbackSeries.Instance sc : fallback.files()) {
                    outbox.enqueue(studyUid, version, dest.name(), sc.sopInstanceUid(), sc.file());
                }
            }
        }
    }

    private static Path writeBundle(Path dir, FhirResultSet set) throws IOException {
        Path target = dir.resolve("fhir-" + set.reportId() + ".json");
        if (Files.exists(target)) return target;
        Path tmp = dir.resolve("fhir-" + set.reportId() + ".json.part");
        Files.writeString(tmp, FhirTransaction.json(set));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The burned-in Secondary Capture series of one SEG, written on first use. */
    interface FallbackSeries {
        record Instance(String sopInstanceUid, Path file) {}

        List<Instance> files() throws IOException;
    }
}
