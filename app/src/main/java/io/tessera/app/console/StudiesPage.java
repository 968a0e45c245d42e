package io.tessera.app.console;

import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The studies list, newest first: state, version, calling AE, instances, age and stage timings, filtered by state
 * (a GET parameter: no patient data) or searched by patient ID or accession number (a POST, so the query stays out of
 * URLs, access logs and browser history). Refreshes itself while nothing is being searched.
 */
final class StudiesPage {
    private final ConsoleSources sources;
    private final StudyLabels labels;

    StudiesPage(ConsoleSources sources, StudyLabels labels) {
        this.sources = sources;
        this.labels = labels;
    }

    Html render(ConsoleSessions.Session session, String state, String query) {
        JobState filter = parse(state);
        boolean searching = query != null && !query.isBlank();
        Html h = Html.page("Studies", "studies", session, searching ? 0 : 5);
        h.raw("<div class=\"filters\"><form method=\"get\" action=\"/console/studies\"><label for=\"state\">State</label>")
                .raw("<select id=\"state\" name=\"state\"><option value=\"\">any</option>");
        for (JobState s : JobState.values()) {
            h.raw("<option").raw(s == filter ? " selected" : "").raw(">").text(s.name()).raw("</option>");
        }
        h.raw("</select> <button type=\"submit\">Filter</button></form>")
                .raw("<form method=\"post\" action=\"/console/studies\">").csrf(session)
                .raw("<label for=\"q\">Patient ID or accession</label><input id=\"q\" name=\"q\" value=\"")
                .text(searching ? query : "").raw("\"> <button type=\"submit\">Search</button></form></div>");
        Instant now = Instant.now();
        List<StudyRecord> studies = sources.index().studies().stream()
                .filter(r -> filter == null || r.state() == filter)
                .filter(r -> !searching || labels.of(r.studyUid()).matches(query))
                .sorted(Comparator.comparing(StudyRecord::firstReceived, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
        h.raw("<p aria-live=\"polite\">").text(studies.size() + (studies.size() == 1 ? " study" : " studies")).raw("</p>");
        h.raw("<table id=\"studies\"><caption class=\"sr-only\">Studies</caption><thead><tr><th scope=\"col\">Patient ID</th>")
                .raw("<th scope=\"col\">Accession</th><th scope=\"col\">State</th><th scope=\"col\">Version</th>")
                .raw("<th scope=\"col\">Calling AE</th><th scope=\"col\">Instances</th><th scope=\"col\">Age</th>")
                .raw("<th scope=\"col\">Stages</th><th scope=\"col\">Study</th></tr></thead><tbody>");
        for (StudyRecord r : studies) {
            StudyLabels.Labels l = labels.of(r.studyUid());
            h.raw("<tr data-study=\"").text(r.studyUid()).raw("\"><td>").text(l.patientId()).raw("</td><td>").text(l.accession())
                    .raw("</td><td><span class=\"state state-").text(r.state().name().toLowerCase(java.util.Locale.ROOT))
                    .raw("\">").text(r.state().name()).raw("</span>")
                    .raw(r.failureReason().isPresent() ? "<br><small>" + Html.esc(r.failureReason().get()) + "</small>" : "")
                    .raw(now(r.studyUid(), now))
                    .raw("</td><td>").text(r.version()).raw("</td><td>").text(r.callingAe()).raw("</td><td>").text(r.instanceCount())
                    .raw("</td><td>").text(r.firstReceived() == null ? "" : Durations.of(Duration.between(r.firstReceived(), now)))
                    .raw("</td><td>").text(Durations.stages(r.stageMillis())).raw("</td><td><a href=\"/console/studies/")
                    .text(URLEncoder.encode(r.studyUid(), StandardCharsets.UTF_8)).raw("\">Open study ").text(r.studyUid())
                    .raw("</a></td></tr>");
        }
        return h.raw("</tbody></table>");
    }

    private static JobState parse(String state) {
        if (state == null || state.isBlank()) return null;
        try {
            return JobState.valueOf(state);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What a running study's job is doing now: stage, model, how long, and in inference the share of its windows run
     * (the page reloads every few seconds, so this moves). Empty when nothing runs for it on this node.
     */
    String now(String studyUid, java.time.Instant now) {
        if (sources.progress() == null) return "";
        return sources.progress().of(studyUid).map(p -> "<br><small class=\"progress\">" + Html.esc(describe(p, now)) + "</small>")
                .orElse("");
    }

    static String describe(io.tessera.routes.JobProgress.Now p, java.time.Instant now) {
        String windows = p.total() > 0 ? String.format(java.util.Locale.ROOT, " %d/%d windows (%d %%)", p.done(), p.total(),
                100 * p.done() / p.total()) : "";
        return p.stage() + " " + p.model() + windows + ", " + Durations.of(Duration.between(p.since(), now));
    }
}
