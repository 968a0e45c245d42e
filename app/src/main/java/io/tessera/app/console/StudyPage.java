package io.tessera.app.console;

import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyRecord;
import io.tessera.routes.JobRecords.JobRecord;
import io.tessera.routes.OutboxEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One study: its state and timings, its series, the jobs run on it (model, version, provider, outcome and failure
 * code) with a key image for each SEG, its outbox entries and, when FHIR is served, its ImagingStudy and reports.
 */
final class StudyPage {
    private final ConsoleSources sources;
    private final StudyLabels labels;
    private final KeyImages keyImages;

    StudyPage(ConsoleSources sources, StudyLabels labels, KeyImages keyImages) {
        this.sources = sources;
        this.labels = labels;
        this.keyImages = keyImages;
    }

    /** Null when the index does not know the study. */
    Html render(ConsoleSessions.Session session, String studyUid) {
        StudyRecord r = sources.index().study(studyUid).orElse(null);
        if (r == null) return null;
        StudyLabels.Labels l = labels.of(studyUid);
        boolean settled = r.state().isFinal();
        Html h = Html.page("Study " + studyUid, "studies", session, settled ? 0 : 5);
        h.raw("<dl class=\"facts\"><dt>Patient ID</dt><dd>").text(l.patientId()).raw("</dd><dt>Accession</dt><dd>").text(l.accession())
                .raw("</dd><dt>State</dt><dd id=\"state\">").text(r.state().name()).raw("</dd><dt>Version</dt><dd>").text(r.version())
                .raw("</dd><dt>Calling AE</dt><dd>").text(r.callingAe()).raw("</dd><dt>Instances</dt><dd>").text(r.instanceCount())
                .raw("</dd><dt>Stages</dt><dd>").text(Durations.stages(r.stageMillis())).raw("</dd>");
        r.failureReason().ifPresent(f -> h.raw("<dt>Reason</dt><dd>").text(f).raw("</dd>"));
        if (sources.progress() != null) {
            sources.progress().of(studyUid).ifPresent(p -> h.raw("<dt>Now</dt><dd id=\"now\">")
                    .text(StudiesPage.describe(p, java.time.Instant.now())).raw("</dd>"));
        }
        h.raw("</dl>");
        if (sources.fhir()) {
            h.raw("<p><a href=\"/fhir/ImagingStudy?identifier=").text(URLEncoder.encode("urn:dicom:uid|urn:oid:" + studyUid,
                    StandardCharsets.UTF_8)).raw("\">FHIR ImagingStudy and reports of this study</a></p>");
        }

        List<InstanceRecord> instances = sources.index().instances(studyUid);
        Map<String, List<InstanceRecord>> series = instances.stream()
                .collect(Collectors.groupingBy(InstanceRecord::seriesUid, TreeMap::new, Collectors.toList()));
        h.raw("<h2>Series</h2><table id=\"series\"><thead><tr><th scope=\"col\">Series UID</th><th scope=\"col\">Modality</th>")
                .raw("<th scope=\"col\">Instances</th></tr></thead><tbody>");
        series.forEach((uid, list) -> h.row(uid, list.get(0).modality(), list.size()));
        h.raw("</tbody></table>");

        List<JobRecord> jobs = sources.jobs().forStudy(studyUid);
        h.raw("<h2>Jobs</h2><table id=\"jobs\"><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Series UID</th>")
                .raw("<th scope=\"col\">Route</th><th scope=\"col\">Model</th><th scope=\"col\">Model version</th>")
                .raw("<th scope=\"col\">Provider</th><th scope=\"col\">Outcome</th><th scope=\"col\">Code</th>")
                .raw("<th scope=\"col\">Reason</th><th scope=\"col\">Result objects</th></tr></thead><tbody>");
        for (JobRecord j : jobs) {
            h.row(j.studyVersion(), j.seriesUid(), j.route(), j.model(), j.modelVersion(), j.provider(), j.state(), j.code(), j.reason(),
                    j.results().size());
        }
        h.raw("</tbody></table>");
        reportLinks(h, jobs, r.version());

        h.raw("<h2>Key images</h2>");
        List<String> withSeg = jobs.stream().filter(j -> j.studyVersion() == r.version() && keyImages.segOf(j).isPresent())
                .map(JobRecord::seriesUid).distinct().toList();
        if (withSeg.isEmpty()) h.raw("<p>No segmentation yet.</p>");
        for (String s : withSeg) {
            String src = "/console/studies/" + URLEncoder.encode(studyUid, StandardCharsets.UTF_8) + "/key-image.png?series="
                    + URLEncoder.encode(s, StandardCharsets.UTF_8);
            h.raw("<figure class=\"key-image\"><img src=\"").text(src).raw("\" alt=\"Slice with the most segmented voxels of series ")
                    .text(s).raw(", each segment outlined in its colour\"><figcaption>Series ").text(s).raw("</figcaption></figure>");
        }
        for (String s : withSeg) {
            if (keyImages.groundingSegOf(studyUid, r.version(), s).isEmpty()) continue;
            String src = "/console/studies/" + URLEncoder.encode(studyUid, StandardCharsets.UTF_8) + "/key-image.png?kind=grounding&series="
                    + URLEncoder.encode(s, StandardCharsets.UTF_8);
            h.raw("<figure class=\"key-image\"><img id=\"grounding-key-image\" src=\"").text(src)
                    .raw("\" alt=\"Slice with the most grounded voxels of series ").text(s)
                    .raw(", each located report finding outlined\"><figcaption>Report findings located in series ").text(s)
                    .raw("</figcaption></figure>");
        }

        findings(h, studyUid, r.version());

        List<OutboxEntry> entries = sources.outbox().store().forStudy(studyUid, r.version());
        h.raw("<h2>Outbox</h2><table id=\"study-outbox\"><thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">State</th>")
                .raw("<th scope=\"col\">Destination</th><th scope=\"col\">Attempts</th><th scope=\"col\">Last error</th></tr></thead><tbody>");
        for (OutboxEntry e : entries) h.row(e.id(), e.state().name(), e.destination(), e.attempts(), e.lastError());
        return h.raw("</tbody></table>");
    }

    /**
     * The report's findings as grounding saw them: each sentence, what and where it names, and where it was located
     * (size, method, confidence) or why it was not. Nothing when no report was grounded for this version.
     */
    private void findings(Html h, String studyUid, int version) {
        if (sources.groundedFindings() == null) return;
        List<io.tessera.routes.GroundedFindings.Row> rows = sources.groundedFindings().forStudy(studyUid, version);
        h.raw("<h2>Report findings</h2>");
        if (rows.isEmpty()) {
            h.raw("<p>No report grounded for this version.</p>");
            return;
        }
        h.raw("<table id=\"findings\"><thead><tr><th scope=\"col\">Sentence</th><th scope=\"col\">Finding</th>")
                .raw("<th scope=\"col\">Site</th><th scope=\"col\">Located</th><th scope=\"col\">Size</th>")
                .raw("<th scope=\"col\">Method</th><th scope=\"col\">Confidence</th></tr></thead><tbody>");
        for (var f : rows) {
            String located = f.grounded() ? "yes (" + f.trackingId() + ")" : "no: " + f.reason();
            String size = f.grounded() ? String.format(java.util.Locale.ROOT, "%.0f mm, %.1f mL", f.diameterMm(), f.volumeMl()) : "";
            String conf = f.grounded() ? String.format(java.util.Locale.ROOT, "%.2f", f.confidence()) : "";
            h.row(f.phrase(), f.finding(), f.site() == null ? "" : f.site(), located, size, f.grounded() ? f.method() : "", conf);
        }
        h.raw("</tbody></table>");
    }

    /**
     * A link to the FHIR DiagnosticReport of each job of this version that made one: the report's id is derived from
     * the study, series and model, as the FHIR mapper makes it, so no FHIR search is needed.
     */
    private void reportLinks(Html h, List<JobRecord> jobs, int version) {
        if (!sources.fhir()) return;
        List<JobRecord> done = jobs.stream().filter(j -> j.studyVersion() == version && "DONE".equals(j.state())
                && j.seriesUid() != null && j.modelVersion() != null).toList();
        if (done.isEmpty()) return;
        h.raw("<ul class=\"reports\">");
        for (JobRecord j : done) {
            String id = io.tessera.fhir.FhirIds.id("DiagnosticReport",
                    io.tessera.fhir.FhirIds.reportUid(j.studyUid(), j.seriesUid(), j.model(), j.modelVersion()));
            h.raw("<li><a href=\"/fhir/DiagnosticReport/").text(id).raw("\">FHIR DiagnosticReport of ").text(j.model())
                    .raw(" ").text(j.modelVersion()).raw("</a></li>");
        }
        h.raw("</ul>");
    }
}
