package io.tessera.app.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/*}: the operator console's pages, its key images and its stylesheet and script (from the jar:
 * nothing is loaded from outside, which a hospital network would block). Who may see what is decided before this, by
 * the access filter and {@code ApiScopes}.
 */
public final class ConsoleServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(ConsoleServlet.class);
    private static final Pattern STUDY = Pattern.compile("/studies/([0-9.]{1,64})");
    private static final Pattern KEY_IMAGE = Pattern.compile("/studies/([0-9.]{1,64})/key-image\\.png");
    private static final Pattern REPLAY = Pattern.compile("/outbox/(\\d{1,18})/replay");
    private static final Map<String, String> ASSETS = Map.of("console.css", "text/css", "console.js", "text/javascript");
    private final ConsoleSources sources;
    private final StudiesPage studies;
    private final StudyPage study;
    private final OutboxPage outbox;
    private final KeyImages keyImages;
    private final AuditPage audit;

    public ConsoleServlet(ConsoleSources sources) {
        this.sources = sources;
        StudyLabels labels = new StudyLabels(sources.index());
        this.keyImages = new KeyImages(sources);
        this.studies = new StudiesPage(sources, labels);
        this.study = new StudyPage(sources, labels, keyImages);
        this.outbox = new OutboxPage(sources);
        this.audit = new AuditPage(new AuditTrail(sources.auditFile()));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        ConsoleSessions.Session session = session(req);
        if (path.startsWith("/assets/")) {
            asset(path.substring("/assets/".length()), resp);
            return;
        }
        Matcher m;
        switch (path) {
            case "/", "/studies" -> studies.render(session, req.getParameter("state"), null).send(resp, 200);
            case "/outbox" -> outbox.render(session, message(req.getParameter("replayed"))).send(resp, 200);
            case "/models" -> StatusPage.render(session, "Models", "models", sources.models().get()).send(resp, 200);
            case "/listener" -> StatusPage.render(session, "Listener", "listener", sources.listener().get()).send(resp, 200);
            case "/audit" -> audit.render(session, null, null, null).send(resp, 200);
            default -> {
                if ((m = KEY_IMAGE.matcher(path)).matches()) {
                    keyImage(m.group(1), req.getParameter("series"), "grounding".equals(req.getParameter("kind")), resp);
                } else if ((m = STUDY.matcher(path)).matches()) {
                    Html page = study.render(session, m.group(1));
                    if (page == null) notFound(session, resp, "No study with this UID is known.");
                    else page.send(resp, 200);
                } else {
                    notFound(session, resp, "No such page.");
                }
            }
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        ConsoleSessions.Session session = session(req);
        if (path.equals("/studies")) {
            // the search answers the POST itself: the patient ID or accession never appears in a URL
            studies.render(session, req.getParameter("state"), req.getParameter("q")).send(resp, 200);
            return;
        }
        if (path.equals("/audit")) {
            audit.render(session, req.getParameter("event"), req.getParameter("outcome"), req.getParameter("text")).send(resp, 200);
            return;
        }
        Matcher m = REPLAY.matcher(path);
        if (!m.matches()) {
            notFound(session, resp, "No such form.");
            return;
        }
        long id = Long.parseLong(m.group(1));
        String outcome;
        if (sources.outbox().store().get(id).isEmpty()) outcome = "unknown-" + id;
        else outcome = (sources.outbox().replay(id) ? "" : "not-parked-") + id;
        log.info("console replay of outbox entry {} by {}: {}", id, session == null ? "?" : session.user(),
                outcome.equals(Long.toString(id)) ? "pending again" : "TSR-0835: " + outcome);
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(303);
        resp.setHeader("Location", "/console/outbox?replayed=" + outcome);
    }

    /** The notice after a replay's redirect (the entry's id only: no patient data in the URL). */
    private static String message(String replayed) {
        if (replayed == null || !replayed.matches("(unknown-|not-parked-)?\\d{1,18}")) return null;
        if (replayed.startsWith("unknown-")) return "TSR-0835: outbox entry " + replayed.substring(8) + " does not exist.";
        if (replayed.startsWith("not-parked-")) {
            return "TSR-0835: outbox entry " + replayed.substring(11) + " is not parked; nothing to replay.";
        }
        return "Outbox entry " + replayed + " is pending again.";
    }

    private void keyImage(String studyUid, String series, boolean grounding, HttpServletResponse resp) throws IOException {
        Optional<Integer> version = sources.index().study(studyUid).map(r -> r.version());
        if (series == null || version.isEmpty()) {
            resp.sendError(404);
            return;
        }
        Optional<byte[]> png;
        try {
            String s = URLDecoder.decode(series, StandardCharsets.UTF_8);
            png = grounding ? keyImages.groundingPng(studyUid, version.get(), s) : keyImages.png(studyUid, version.get(), s);
        } catch (IOException | io.tessera.dicomio.SeriesReadException | RuntimeException e) {
            // the reason names files by UID, never a patient
            log.warn("TSR-0834: a key image could not be rendered: {}", e.getMessage());
            resp.sendError(500);
            return;
        }
        if (png.isEmpty()) {
            resp.sendError(404);
            return;
        }
        resp.setContentType("image/png");
        resp.setHeader("Cache-Control", "private, no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.getOutputStream().write(png.get());
    }

    private static void asset(String name, HttpServletResponse resp) throws IOException {
        String type = ASSETS.get(name);
        try (InputStream in = type == null ? null : ConsoleServlet.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType(type + ";charset=utf-8");
            resp.setHeader("Cache-Control", "max-age=3600");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            in.transferTo(resp.getOutputStream());
        }
    }

    private static void notFound(ConsoleSessions.Session session, HttpServletResponse resp, String message) throws IOException {
        Html.page("Not found", "", session, 0).raw("<p>").text(message).raw("</p>").send(resp, 404);
    }

    private static ConsoleSessions.Session session(HttpServletRequest req) {
        return req.getAttribute(ConsoleGate.SESSION) instanceof ConsoleSessions.Session s ? s : null;
    }

    /** {@code /}: the studies list is the console's front page. */
    public static HttpServlet root() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(303);
                resp.setHeader("Location", "/console/studies");
            }
        };
    }
}
