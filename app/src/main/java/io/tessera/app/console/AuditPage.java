package io.tessera.app.console;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The audit trail: the newest associations, exports and HTTP accesses (who, from where, what, outcome), filtered by
 * kind and outcome and searched by text. For the security officer (scope {@code tessera/audit.read}); the page's own
 * viewing is audited like every other access. Queries are shown as recorded: they may name a patient, which is what
 * an audit is for.
 */
final class AuditPage {
    static final int LIMIT = 300;
    private static final Set<String> EVENTS = Set.of("association", "export", "rest");
    private static final List<String> OUTCOMES = List.of("accepted", "refused", "success", "failure");
    private final AuditTrail trail;

    AuditPage(AuditTrail trail) {
        this.trail = trail;
    }

    Html render(ConsoleSessions.Session session, String event, String outcome, String text) throws IOException {
        String ev = event != null && EVENTS.contains(event) ? event : null;
        String out = outcome != null && OUTCOMES.contains(outcome) ? outcome : null;
        List<AuditTrail.Entry> entries = trail.newest(LIMIT, ev, out, text);
        Html h = Html.page("Audit trail", "audit", session, 0);
        // a POST, like the studies search: a patient ID searched for stays out of URLs and access logs
        h.raw("<form class=\"filters\" method=\"post\" action=\"/console/audit\" role=\"search\">");
        if (session != null) h.csrf(session);
        h
                .raw("<div><label for=\"event\">Kind</label><select id=\"event\" name=\"event\">")
                .raw(option("", "all", ev)).raw(option("association", "DICOM associations", ev))
                .raw(option("export", "exports", ev)).raw(option("rest", "HTTP accesses", ev)).raw("</select></div>")
                .raw("<div><label for=\"outcome\">Outcome</label><select id=\"outcome\" name=\"outcome\">").raw(option("", "all", out));
        for (String o : OUTCOMES) {
            h.raw(option(o, o, out));
        }
        h.raw("</select></div><div><label for=\"text\">Contains</label><input id=\"text\" name=\"text\" value=\"")
                .text(text == null ? "" : text).raw("\"></div><button type=\"submit\">Show</button></form>");
        h.raw("<p>The newest ").text(entries.size()).raw(" entries").raw(entries.size() == LIMIT ? " (the limit; narrow the filter)" : "")
                .raw(", newest first.</p>");
        h.raw("<table id=\"audit\"><thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">Kind</th><th scope=\"col\">Who</th>")
                .raw("<th scope=\"col\">What</th><th scope=\"col\">Outcome</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
        for (AuditTrail.Entry e : entries) h.row(e.time(), e.event(), e.who(), e.what(), e.outcome(), e.detail());
        return h.raw("</tbody></table>");
    }

    private static String option(String value, String label, String selected) {
        boolean on = value.isEmpty() ? selected == null : value.equals(selected);
        return "<option value=\"" + value + "\"" + (on ? " selected" : "") + ">" + label + "</option>";
    }
}
