package io.tessera.app.console;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds the console's pages: every value goes through {@link #esc} (study data is written by scanners and senders,
 * and a page must not run what they wrote), one stylesheet and one small script from the jar, and headers that keep
 * pages out of caches and other sites' frames.
 */
final class Html {
    private final StringBuilder b = new StringBuilder(4096);

    static String esc(Object value) {
        if (value == null) return "";
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Starts a page: {@code active} is the navigation entry to mark; {@code refreshSeconds} 0 for none. */
    static Html page(String title, String active, ConsoleSessions.Session session, int refreshSeconds) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>").text(title).raw(" · Tessera</title>")
                .raw("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">")
                .raw("<script src=\"/console/assets/console.js\" defer></script></head>")
                .raw("<body").raw(refreshSeconds > 0 ? " data-refresh=\"" + refreshSeconds + "\"" : "").raw(">")
                .raw("<a class=\"skip\" href=\"#main\">Skip to content</a><header><nav aria-label=\"Console\"><span class=\"brand\">Tessera</span>");
        for (String[] n : new String[][] {{"studies", "/console/studies", "Studies"}, {"outbox", "/console/outbox", "Outbox"},
                {"models", "/console/models", "Models"}, {"listener", "/console/listener", "Listener"},
                {"audit", "/console/audit", "Audit"}}) {
            h.raw("<a href=\"").raw(n[1]).raw("\"").raw(n[0].equals(active) ? " aria-current=\"page\"" : "").raw(">")
                    .text(n[2]).raw("</a>");
        }
        if (session != null) {
            h.raw("<form class=\"logout\" method=\"post\" action=\"/logout\">").csrf(session)
                    .raw("<span>").text(session.user()).raw("</span> <button type=\"submit\">Log out</button></form>");
        }
        return h.raw("</nav></header><main id=\"main\"><h1>").text(title).raw("</h1>");
    }

    Html raw(String html) {
        b.append(html);
        return this;
    }

    Html text(Object value) {
        b.append(esc(value));
        return this;
    }

    Html csrf(ConsoleSessions.Session session) {
        return raw("<input type=\"hidden\" name=\"" + ConsoleGate.CSRF_FIELD + "\" value=\"").text(session == null ? "" : session.csrf())
                .raw("\">");
    }

    /** A table row of escaped cells. */
    Html row(Object... cells) {
        raw("<tr>");
        for (Object c : cells) raw("<td>").text(c).raw("</td>");
        return raw("</tr>");
    }

    void send(HttpServletResponse resp, int status) throws IOException {
        b.append("</main></body></html>");
        resp.setStatus(status);
        resp.setContentType("text/html;charset=utf-8");
        headers(resp);
        resp.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** No caching of patient data, no framing by other pages, nothing loaded from anywhere but this server. */
    static void headers(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer a browser posts forms with Origin "null", which the guard refuses
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self';"
                + " form-action 'self'; frame-ancestors 'none'");
    }
}
