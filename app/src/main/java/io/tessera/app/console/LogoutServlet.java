package io.tessera.app.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /logout} (its CSRF token checked by the access filter): ends the session and deletes its cookie. */
public final class LogoutServlet extends HttpServlet {
    private final ConsoleGate gate;

    public LogoutServlet(ConsoleGate gate) {
        this.gate = gate;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getAttribute(ConsoleGate.SESSION) instanceof ConsoleSessions.Session s) gate.sessions().close(s.id());
        ConsoleGate.writeCookie(req, resp, ConsoleSessions.COOKIE, "", 0);
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(303);
        resp.setHeader("Location", "/login");
    }
}
