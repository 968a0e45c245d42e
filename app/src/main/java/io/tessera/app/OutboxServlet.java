package io.tessera.app;

import io.tessera.routes.Outbox;
import io.tessera.routes.OutboxEntry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/outbox}: the pending and parked entries; {@code POST /api/outbox/{id}/replay}: a parked entry back
 * to pending (404 unknown, 409 not parked); {@code POST /api/outbox/replay?destination=NAME}: every parked entry of a
 * destination.
 */
final class OutboxServlet extends HttpServlet {
    private final Outbox outbox;

    OutboxServlet(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path != null && !path.equals("/")) {
            write(resp, 404, Map.of("error", "no such resource"));
            return;
        }
        List<Map<String, Object>> entries = outbox.store().open().stream().map(OutboxServlet::view).toList();
        write(resp, 200, entries);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.equals("/replay")) {
            String destination = req.getParameter("destination");
            if (destination == null || destination.isBlank()) {
                write(resp, 400, Map.of("error", "destination parameter missing"));
                return;
            }
            write(resp, 200, Map.of("destination", destination, "replayed", outbox.replayDestination(destination)));
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/(\\d{1,18})/replay").matcher(path);
        if (!m.matches()) {
            write(resp, 404, Map.of("error", "no such resource"));
            return;
        }
        long id = Long.parseLong(m.group(1));
        if (outbox.store().get(id).isEmpty()) {
            write(resp, 404, Map.of("error", "no outbox entry " + id));
        } else if (outbox.replay(id)) {
            write(resp, 200, Map.of("id", id, "replayed", 1));
        } else {
            write(resp, 409, Map.of("error", "outbox entry " + id + " is not parked"));
        }
    }

    static Map<String, Object> view(OutboxEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("state", e.state().name());
        m.put("destination", e.destination());
        m.put("studyInstanceUid", e.studyUid());
        m.put("studyVersion", e.studyVersion());
        m.put("sopInstanceUid", e.sopInstanceUid());
        m.put("attempts", e.attempts());
        m.put("nextAttempt", e.nextAttempt().toString());
        m.put("lastError", e.lastError());
        m.put("created", e.created().toString());
        m.put("updated", e.updated().toString());
        return m;
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        JsonServlet.JSON.writeValue(resp.getOutputStream(), body);
    }
}
