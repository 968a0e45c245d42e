package io.tessera.routes;

import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.FhirTransaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Puts one job's results in the {@link Outbox}, per destination: the SEG for a destination that
 * {@linkplain Destination#takesImages() takes images} ({@code dicom}, {@code folder}; plus the burned-in Secondary
 * Capture series for one that {@linkplain Destination#wantsBurnedInFallback() wants it}), the FHIR transaction Bundle
 * for one that takes results only ({@code fhir}). The Bundle is written next to
 * the SEG ({@code fhir-<report id>.json}, temporary name then atomic move) before it is enqueued, so a restart finds
 * the same bytes; its outbox key is {@code fhir-<report id>}, unique per study version, model and series.
 */
public final class ResultEnqueuer {
    private final Outbox outbox;

    ResultEnqueuer(Outbox outbox) {
        this.outbox = outbox;
    }

    /** {@code fallback}: the Secondary Capture files, made on first need (null when no destination wants them). */
    void enqueue(String studyUid, int version, List<Destination> destinations, String segSop, Path segFile,
                 FhirResultSet fhir, FallbackSeries fallback) throws IOException {
        enqueue(studyUid, version, destinations, segSop, segFile, fhir, fallback, List.of());
    }

    /**
     * {@code more}: further DICOM results of the job (the grounding SEG and SR) for dicom and folder destinations. The
     * Bundle's outbox key carries a digest of the resources it holds (their ids are deterministic), so a re-run that
     * adds grounded findings pushes the new Bundle while a redelivery of the same results stays one entry.
     */
    void enqueue(String studyUid, int version, List<Destination> destinations, String segSop, Path segFile,
                 FhirResultSet fhir, FallbackSeries fallback, List<FallbackSeries.Instance> more) throws IOException {
        for (Destination dest : destinations) {
            if (!dest.takesImages()) {
                String json = FhirTransaction.json(fhir);
                String key = "fhir-" + fhir.reportId() + "-" + digest(String.join(",", fhir.references()));
                Path bundle = writeBundle(segFile.getParent(), key, json);
                outbox.enqueue(studyUid, version, dest.name(), key, bundle);
                continue;
            }
            outbox.enqueue(studyUid, version, dest.name(), segSop, segFile);
            for (FallbackSeries.Instance extra : more) {
                outbox.enqueue(studyUid, version, dest.name(), extra.sopInstanceUid(), extra.file());
            }
            if (dest.wantsBurnedInFallback() && fallback != null) {
                for (FallbackSeries.Instance sc : fallback.files()) {
                    outbox.enqueue(studyUid, version, dest.name(), sc.sopInstanceUid(), sc.file());
                }
            }
        }
    }

    private static String digest(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writeBundle(Path dir, String key, String json) throws IOException {
        Path target = dir.resolve(key + ".json");
        if (Files.exists(target)) return target;
        Path tmp = dir.resolve(key + ".json.part");
        Files.writeString(tmp, json);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * A prompted region's results for the destinations of the routes that processed its study: its SEG and SR for those
     * that take images, its FHIR Bundle (when there is one) for those that take results only. Returns the names it was
     * queued for.
     */
    public static List<String> prompted(Outbox outbox, String studyUid, int version, List<Destination> destinations,
                                        PromptSegmentation.Result r, FhirResultSet fhir) throws IOException {
        List<String> to = new java.util.ArrayList<>();
        for (Destination d : destinations) {
            if (!d.takesImages() && fhir == null) continue; // an empty region: nothing to say to an EHR
            to.add(d.name());
        }
        List<Destination> chosen = destinations.stream().filter(d -> to.contains(d.name())).toList();
        List<FallbackSeries.Instance> sr = r.report() == null ? List.of()
                : List.of(new FallbackSeries.Instance(r.report().sr().sopInstanceUid(), r.report().file()));
        new ResultEnqueuer(outbox).enqueue(studyUid, version, chosen, r.sopInstanceUid(), r.file(), fhir, null, sr);
        return to;
    }

    /** The burned-in Secondary Capture series of one SEG, written on first use. */
    interface FallbackSeries {
        record Instance(String sopInstanceUid, Path file) {}

        List<Instance> files() throws IOException;
    }
}
