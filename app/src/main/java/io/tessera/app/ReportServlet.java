package io.tessera.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.routes.reports.IncomingReport;
import io.tessera.routes.reports.Report;
import io.tessera.routes.reports.ReportIntake;
import io.tessera.routes.reports.ReportRejected;
import io.tessera.routes.reports.ReportSource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/reports} with {@code {"accessionNumber"?, "studyInstanceUid"?, "text"}}: the report goes through the
 * intake; {@code 202} with its id (and the known studies it belongs to), {@code 400} with the reason (not JSON, unknown
 * or non-text field, no identifier, no text: {@code TSR-085x}), {@code 413} over 2 MiB, {@code 503} when it could not
 * be stored. {@code GET /api/reports?studyInstanceUid=&accessionNumber=} lists the matching reports without their text
 * (report text is PHI-ish and stays inside).
 */
final class ReportServlet extends HttpServlet {
    private static final Set<String> FIELDS = Set.of("accessionNumber", "studyInstanceUid", "text");
    private static final int MAX_BODY = 2 << 20;
    private final ReportIntake intake;

    ReportServlet(ReportIntake intake) {
        this.intake = intake;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
            write(resp, 404, Map.of("error", "no such resource"));
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            write(resp, 413, Map.of("error", "TSR-0854: the request body is larger than " + MAX_BODY + " bytes"));
            return;
        }
        JsonNode json;
        try {
            json = JsonServlet.JSON.readTree(body);
        } catch (IOException e) {
            write(resp, 400, Map.of("error", "TSR-0859: the body is not JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
            return;
        }
        String problem = shape(json);
        if (problem != null) {
            write(resp, 400, Map.of("error", problem));
            return;
        }
        try {
            ReportIntake.Accepted a = intake.accept(new IncomingReport(text(json, "studyInstanceUid"),
                    text(json, "accessionNumber"), ReportSource.REST, null, text(json, "text")));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", a.report().id());
            out.put("studyInstanceUids", a.studyUids());
            resp.setHeader("Location", "/api/reports/" + a.report().id());
            write(resp, 202, out);
        } catch (ReportRejected e) {
            write(resp, 400, Map.of("error", e.getMessage()));
        } catch (IllegalStateException e) {
            write(resp, 503, Map.of("error", "the report could not be stored; retry later (" + e.getMessage() + ")"));
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String uid = req.getParameter("studyInstanceUid"), acc = req.getParameter("accessionNumber");
        if ((uid == null || uid.isBlank()) && (acc == null || acc.isBlank())) {
            write(resp, 400, Map.of("error", "give studyInstanceUid and/or accessionNumber"));
            return;
        }
        write(resp, 200, intake.store().findFor(uid, acc).stream().map(ReportServlet::view).toList());
    }

    static Map<String, Object> view(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("studyInstanceUid", r.studyInstanceUid());
        m.put("accessionNumber", r.accessionNumber());
        m.put("source", r.source().name());
        m.put("received", r.received().toString());
        m.put("characters", r.text().length());
        return m;
    }

    /** Null when the JSON is an object of known text fields; otherwise what is wrong. */
    private static String shape(JsonNode json) {
        if (json == null || !json.isObject()) return "TSR-0859: the body must be a JSON object {accessionNumber?, studyInstanceUid?, text}";
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) return "TSR-0859: unknown field '" + f + "' (known: accessionNumber, studyInstanceUid, text)";
            if (!json.get(f).isTextual() && !json.get(f).isNull()) return "TSR-0859: field '" + f + "' must be a string";
        }
        return null;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        JsonServlet.JSON.writeValue(resp.getOutputStream(), body);
    }
}
