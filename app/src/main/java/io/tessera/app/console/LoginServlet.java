package io.tessera.app.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /login}: the login form; {@code POST /login}: checks a local user's password and opens a session. The
 * form carries a token that must match a SameSite cookie set with it (no other site can log a browser in as someone
 * else), failures are counted per address and name ({@link LoginThrottle}), and a success gets a fresh session id.
 */
public final class LoginServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(LoginServlet.class);
    static final String LOGIN_COOKIE = "tessera_login";
    private final ConsoleUsers users;
    private final LoginThrottle throttle;
    private final ConsoleGate gate;
    private final String provider;
    private final LoginAudit audit;

    /**
     * @param users    the local users, or null when none are configured
     * @param provider the OpenID Connect provider's display name, or null when none is configured
     */
    public LoginServlet(ConsoleUsers users, LoginThrottle throttle, ConsoleGate gate, String provider, LoginAudit audit) {
        this.audit = audit;
        this.users = users;
        this.throttle = throttle;
        this.gate = gate;
        this.provider = provider;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        form(req, resp, 200, null);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String address = req.getRemoteAddr();
        if (!ConsoleSessions.sameToken(req.getParameter(ConsoleGate.CSRF_FIELD), ConsoleGate.cookie(req, LOGIN_COOKIE))) {
            log.info("TSR-0831: a login form from {} without its token refused (stale page or another site's form)", address);
            form(req, resp, 403, "The form had expired. Please try again.");
            return;
        }
        String name = req.getParameter("username") == null ? "" : req.getParameter("username").trim();
        String given = req.getParameter("password");
        char[] password = given == null ? new char[0] : given.toCharArray();
        try {
            if (!throttle.allows(address, name)) {
                log.warn("TSR-0832: login from {} refused: too many failed logins from this address or for this name", address);
                audit.login(req, name, "password", 429);
                form(req, resp, 429, "Too many failed logins. Wait a while before trying again.");
                return;
            }
            var user = users == null ? java.util.Optional.<ConsoleUsers.User>empty() : users.check(name, password);
            if (user.isEmpty()) {
                throttle.failed(address, name);
                log.info("TSR-0830: failed console login from {}", address);
                audit.login(req, name, "password", 401);
                form(req, resp, 401, "Wrong name or password.");
                return;
            }
            throttle.succeeded(name);
            ConsoleSessions.Session s = gate.sessions().open(user.get().name(), user.get().scopes());
            ConsoleGate.writeCookie(req, resp, ConsoleSessions.COOKIE, s.id(), -1);
            ConsoleGate.writeCookie(req, resp, LOGIN_COOKIE, "", 0);
            log.info("console login of {} from {}", s.user(), address);
            audit.login(req, s.user(), "password", 303);
            resp.setHeader("Cache-Control", "no-store");
            resp.setStatus(303);
            resp.setHeader("Location", "/console/studies");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, int status, String message) throws IOException {
        String token = ConsoleSessions.token();
        ConsoleGate.writeCookie(req, resp, LOGIN_COOKIE, token, 1800);
        Html h = Html.page("Log in", "", null, 0);
        if (message != null) h.raw("<p class=\"error\" role=\"alert\">").text(message).raw("</p>");
        if (provider != null) {
            h.raw("<p><a class=\"button\" id=\"oidc-login\" href=\"/login/oidc\">Log in with ").text(provider).raw("</a></p>");
        }
        if (users == null) {
            if (provider == null) h.raw("<p>No local users are configured (<code>console.usersFile</code>).</p>");
            h.send(resp, status);
            return;
        }
        h.raw("<form class=\"login\" method=\"post\" action=\"/login\">")
                .raw("<input type=\"hidden\" name=\"" + ConsoleGate.CSRF_FIELD + "\" value=\"").text(token).raw("\">")
                .raw("<label for=\"username\">Name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>")
                .raw("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .raw("<button type=\"submit\">Log in</button></form>");
        h.send(resp, status);
    }
}
