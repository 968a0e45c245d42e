package io.tessera.app.console;

import io.tessera.dicomio.KeyImageRenderer;
import io.tessera.dicomio.SeriesReadException;
import io.tessera.listener.InstanceRecord;
import io.tessera.routes.JobRecords.JobRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key image of a series' SEG, rendered on first request and kept (a SEG is never rewritten under its SOP Instance
 * UID, so its PNG never changes): the series' spooled instances under the SEG the job wrote to the results folder.
 */
final class KeyImages {
    private static final int KEEP = 32;
    private final ConsoleSources sources;
    private final Map<String, byte[]> rendered = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > KEEP;
        }
    });

    KeyImages(ConsoleSources sources) {
        this.sources = sources;
    }

    /** The SEG file of a job, when it made one and it is still there. */
    Optional<Path> segOf(JobRecord job) {
        if (job.segSopInstanceUid() == null || job.segSopInstanceUid().isBlank()) return Optional.empty();
        Path f = sources.results().resolve(job.studyUid()).resolve(job.segSopInstanceUid() + ".dcm");
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /** The newest job of {@code seriesUid} in {@code studyUid}'s current version that left a SEG. */
    Optional<JobRecord> jobOf(String studyUid, int version, String seriesUid) {
        return sources.jobs().forStudy(studyUid).stream()
                .filter(j -> j.studyVersion() == version && seriesUid.equals(j.seriesUid()) && segOf(j).isPresent())
                .reduce((a, b) -> b);
    }

    /** The grounding SEG written for the series' findings in this version, when there is one and it is still there. */
    Optional<Path> groundingSegOf(String studyUid, int version, String seriesUid) {
        if (sources.groundedFindings() == null) return Optional.empty();
        return sources.groundedFindings().forStudy(studyUid, version).stream()
                .filter(r -> seriesUid.equals(r.seriesUid()) && r.groundingSegSopUid() != null).findFirst()
                .map(r -> sources.results().resolve(studyUid).resolve(r.groundingSegSopUid() + ".dcm"))
                .filter(Files::isRegularFile);
    }

    /** The PNG of the organ SEG, or empty when the series has no SEG. */
    Optional<byte[]> png(String studyUid, int version, String seriesUid) throws IOException, SeriesReadException {
        Optional<JobRecord> job = jobOf(studyUid, version, seriesUid);
        if (job.isEmpty()) return Optional.empty();
        return render(studyUid, seriesUid, segOf(job.get()).orElseThrow());
    }

    /** The PNG of the grounding SEG (each located finding outlined), or empty when there is none. */
    Optional<byte[]> groundingPng(String studyUid, int version, String seriesUid) throws IOException, SeriesReadException {
        Optional<Path> seg = groundingSegOf(studyUid, version, seriesUid);
        return seg.isEmpty() ? Optional.empty() : render(studyUid, seriesUid, seg.get());
    }

    private Optional<byte[]> render(String studyUid, String seriesUid, Path seg) throws IOException, SeriesReadException {
        byte[] known = rendered.get(seg.toString());
        if (known != null) return Optional.of(known);
        List<Path> files = sources.index().instances(studyUid).stream().filter(i -> seriesUid.equals(i.seriesUid()))
                .map(InstanceRecord::path).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyImageRenderer.render(files, seg).writePng(out);
        rendered.put(seg.toString(), out.toByteArray());
        return Optional.of(out.toByteArray());
    }
}
