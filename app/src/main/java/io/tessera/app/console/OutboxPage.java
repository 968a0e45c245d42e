package io.tessera.app.console;

import io.tessera.routes.OutboxEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Pending and parked results with their last error, each parked one with a replay button (a CSRF-checked POST). */
final class OutboxPage {
    private final ConsoleSources sources;

    OutboxPage(ConsoleSources sources) {
        this.sources = sources;
    }

    Html render(ConsoleSessions.Session session, String message) {
        List<OutboxEntry> open = sources.outbox().store().open();
        Html h = Html.page("Outbox", "outbox", session, 10);
        if (message != null) h.raw("<p class=\"notice\" role=\"status\">").text(message).raw("</p>");
        h.raw("<p>").text(open.size() + " open " + (open.size() == 1 ? "entry" : "entries")).raw("</p>")
                .raw("<table id=\"outbox\"><thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">State</th>")
                .raw("<th scope=\"col\">Destination</th><th scope=\"col\">Study</th><th scope=\"col\">Attempts</th>")
                .raw("<th scope=\"col\">Next attempt</th><th scope=\"col\">Last error</th><th scope=\"col\">Action</th></tr></thead><tbody>");
        for (OutboxEntry e : open) {
            h.raw("<tr data-entry=\"").text(e.id()).raw("\"><td>").text(e.id()).raw("</td><td>").text(e.state().name())
                    .raw("</td><td>").text(e.destination()).raw("</td><td><a href=\"/console/studies/")
                    .text(URLEncoder.encode(e.studyUid(), StandardCharsets.UTF_8)).raw("\">").text(e.studyUid()).raw("</a></td><td>")
                    .text(e.attempts()).raw("</td><td>").text(e.state() == OutboxEntry.State.PARKED ? "" : e.nextAttempt())
                    .raw("</td><td>").text(e.lastError()).raw("</td><td>");
            if (e.state() == OutboxEntry.State.PARKED) {
                h.raw("<form method=\"post\" action=\"/console/outbox/").text(e.id()).raw("/replay\">").csrf(session)
                        .raw("<button type=\"submit\" aria-label=\"Replay entry ").text(e.id()).raw("\">Replay</button></form>");
            }
            h.raw("</td></tr>");
        }
        return h.raw("</tbody></table>");
    }
}
