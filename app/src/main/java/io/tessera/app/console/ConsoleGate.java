package io.tessera.app.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * What the access filter asks about browser sessions: which session a request carries, whether its POST carries the
 * session's CSRF token, which paths are console pages (a missing login sends those to {@code /login} rather than
 * answering 401), and how the session cookie is written: HttpOnly, SameSite=Strict, Secure over HTTPS.
 */
public final class ConsoleGate {
    /** The request attribute under which the filter leaves the request's {@link ConsoleSessions.Session}. */
    public static final String SESSION = "io.tessera.console.session";
    public static final String CSRF_FIELD = "csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private final ConsoleSessions sessions;

    public ConsoleGate(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    public ConsoleSessions sessions() {
        return sessions;
    }

    /** Browser pages and the forms they post: a caller without a login is sent to the login page. */
    public static boolean isConsolePage(String path) {
        return path.equals("/") || path.startsWith("/console/") || path.equals("/logout");
    }

    /** The live session named by the request's cookie, or null. */
    public ConsoleSessions.Session session(HttpServletRequest req) {
        String id = cookie(req, ConsoleSessions.COOKIE);
        return id == null ? null : sessions.find(id).orElse(null);
    }

    /**
     * Opens a session for a caller the port lets in without a login (loopback, nothing configured), so that its
     * console forms carry a CSRF token like everyone else's.
     */
    public ConsoleSessions.Session openFor(HttpServletRequest req, HttpServletResponse resp, String name, Set<String> scopes) {
        ConsoleSessions.Session s = sessions.open(name, scopes);
        writeCookie(req, resp, ConsoleSessions.COOKIE, s.id(), -1);
        return s;
    }

    /** Whether this POST carries {@code session}'s CSRF token, as a form field or a header. */
    public static boolean csrfOk(HttpServletRequest req, ConsoleSessions.Session session) {
        if (session == null) return false;
        String token = req.getHeader(CSRF_HEADER);
        if (token == null) {
            String type = req.getContentType();
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                token = req.getParameter(CSRF_FIELD);
            }
        }
        return ConsoleSessions.sameToken(token, session.csrf());
    }

    public static void redirectToLogin(HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(303);
        resp.setHeader("Location", "/login");
    }

    static String cookie(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) return null;
        for (Cookie c : cookies) if (c.getName().equals(name)) return c.getValue();
        return null;
    }

    /**
     * Written by hand: the servlet API's cookie has no SameSite. Strict: no other site's page can make the browser send
     * it. {@code maxAge} -1: until the browser closes; 0: delete.
     */
    static void writeCookie(HttpServletRequest req, HttpServletResponse resp, String name, String value, int maxAge) {
        writeCookie(req, resp, name, value, maxAge, "Strict");
    }

    /** As above with another SameSite (Lax only for the state of a login at an identity provider). */
    static void writeCookie(HttpServletRequest req, HttpServletResponse resp, String name, String value, int maxAge, String sameSite) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=/; HttpOnly; SameSite=").append(sameSite);
        if (maxAge >= 0) c.append("; Max-Age=").append(maxAge);
        if (req.isSecure()) c.append("; Secure");
        resp.addHeader("Set-Cookie", c.toString());
    }
}
