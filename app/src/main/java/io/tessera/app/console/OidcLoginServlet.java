package io.tessera.app.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /login/oidc}: starts a login at the OpenID Connect provider (authorisation code with PKCE; the state
 * also goes into a cookie of this browser). {@code GET /login/oidc/callback}: the provider sends the browser back
 * with a code; the state must be the one this browser started and still pending, the code is exchanged with the
 * verifier, the ID token checked, and a console session opened for the scopes the token grants.
 *
 * <p>The state cookie is SameSite=Lax, not Strict like the session's: the provider's redirect back is a cross-site
 * navigation, on which a Strict cookie would not be sent. For the same reason the callback answers with a page that
 * moves on to the console itself instead of a redirect: browsers do not send a Strict cookie on a redirect chain that
 * began on another site, and the new session cookie is Strict.
 */
public final class OidcLoginServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(OidcLoginServlet.class);
    static final String STATE_COOKIE = "tessera_oidc";
    private final OidcProvider provider;
    private final OidcLogins logins;
    private final ConsoleGate gate;
    private final LoginAudit audit;

    OidcLoginServlet(OidcProvider provider, OidcLogins logins, ConsoleGate gate, LoginAudit audit) {
        this.audit = audit;
        this.provider = provider;
        this.logins = logins;
        this.gate = gate;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.isEmpty() || path.equals("/")) start(req, resp);
        else if (path.equals("/callback")) callback(req, resp);
        else resp.sendError(404);
    }

    private void start(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        var login = logins.start();
        if (login.isEmpty()) {
            log.warn("TSR-0837: console login via OpenID Connect refused: {} logins are already waiting for the provider",
                    OidcLogins.MAX);
            failed(resp, 503, "Too many logins are under way. Try again in a few minutes.");
            return;
        }
        try {
            String target = provider.authorizationRequest(login.get()).toString();
            ConsoleGate.writeCookie(req, resp, STATE_COOKIE, login.get().state(), (int) OidcLogins.TTL.toSeconds(), "Lax");
            resp.setStatus(303);
            resp.setHeader("Location", target);
        } catch (OidcProvider.LoginFailed e) {
            logins.finish(login.get().state());
            log.warn("TSR-0836: the OpenID Connect provider for console logins cannot be used: {}", e.getMessage());
            failed(resp, 502, "The login service cannot be reached. Use a local account or try again later.");
        }
    }

    private void callback(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String address = req.getRemoteAddr();
        String state = req.getParameter("state");
        ConsoleGate.writeCookie(req, resp, STATE_COOKIE, "", 0, "Lax");
        if (!ConsoleSessions.sameToken(state, ConsoleGate.cookie(req, STATE_COOKIE))) {
            logins.finish(state);
            log.info("TSR-0837: an OpenID Connect callback from {} refused: its state is not the one this browser started", address);
            audit.login(req, null, "oidc", 403);
            failed(resp, 403, "This login was not started in this browser, or it took too long. Please log in again.");
            return;
        }
        var login = logins.finish(state);
        if (login.isEmpty()) {
            log.info("TSR-0837: an OpenID Connect callback from {} refused: unknown, used or lapsed state", address);
            audit.login(req, null, "oidc", 403);
            failed(resp, 403, "This login took too long or was already used. Please log in again.");
            return;
        }
        String error = req.getParameter("error");
        String code = req.getParameter("code");
        if (error != null || code == null || code.isEmpty()) {
            log.info("TSR-0837: the OpenID Connect provider returned no code to {}: {}", address,
                    error == null ? "missing code" : error.replaceAll("[^A-Za-z0-9_.-]", "?"));
            audit.login(req, null, "oidc", 401);
            failed(resp, 401, "The login service did not log you in" + (error == null ? "." : " (" + error + ")."));
            return;
        }
        OidcProvider.Identity who;
        try {
            who = provider.redeem(code, login.get());
        } catch (OidcProvider.LoginFailed e) {
            log.warn("TSR-0838: console login via OpenID Connect from {} refused: {}", address, e.getMessage());
            audit.login(req, null, "oidc", 401);
            failed(resp, 401, "The login could not be completed. Please log in again.");
            return;
        }
        if (who.scopes().isEmpty()) {
            log.info("TSR-0839: console login of {} via OpenID Connect refused: the ID token grants no Tessera scope", who.user());
            audit.login(req, who.user(), "oidc", 403);
            failed(resp, 403, "Your account has no rights in Tessera's console. Ask the administrator to grant you a role.");
            return;
        }
        ConsoleSessions.Session s = gate.sessions().open(who.user(), who.scopes());
        ConsoleGate.writeCookie(req, resp, ConsoleSessions.COOKIE, s.id(), -1);
        log.info("console login of {} via OpenID Connect from {}", s.user(), address);
        audit.login(req, s.user(), "oidc", 200);
        Html h = Html.page("Logged in", "", null, 0);
        h.raw("<meta http-equiv=\"refresh\" content=\"0;url=/console/studies\">")
                .raw("<p>Logged in. <a id=\"continue\" href=\"/console/studies\">Continue to the console</a>.</p>");
        h.send(resp, 200);
    }

    private static void failed(HttpServletResponse resp, int status, String message) throws IOException {
        Html h = Html.page("Log in", "", null, 0);
        h.raw("<p class=\"error\" role=\"alert\">").text(message).raw("</p><p><a href=\"/login\">Back to the login page</a></p>");
        h.send(resp, status);
    }
}
