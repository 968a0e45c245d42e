package io.tessera.app;

import io.tessera.app.console.ConsoleGate;
import io.tessera.app.console.ConsoleSessions;
import io.tessera.fhir.FhirGrant;
import io.tessera.listener.AuditLog;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port's front desk: proves who calls (a bearer token, a client certificate, or, only where no
 * authentication is configured on a loopback port, anyone local), answers 401 with a {@code WWW-Authenticate}
 * challenge when it cannot (TSR-0810), 403 when the caller lacks the route's scope (TSR-0812, see {@link ApiScopes}),
 * hands the caller's scopes on to the FHIR layer, and records every request that gets past the open paths in the audit
 * trail, refusals included.
 */
final class AccessFilter implements Filter {
    private static final Logger log = LoggerFactory.getLogger(AccessFilter.class);
    private static final String REALM = "Bearer realm=\"tessera\"";

    private final TokenVerifier tokens;
    private final ClientCertificates certificates;
    private final boolean open;
    private final Consumer<AuditLog.Access> audit;
    private final ConsoleGate console;

    /**
     * @param tokens       the bearer-token check, or null when no issuer is configured
     * @param certificates the configured client certificates (may be empty)
     * @param open         whether callers may be anonymous (no authentication configured; the port is loopback-only
     *                     or the configuration is declared insecure)
     */
    AccessFilter(TokenVerifier tokens, ClientCertificates certificates, boolean open, Consumer<AuditLog.Access> audit) {
        this(tokens, certificates, open, audit, null);
    }

    /** With {@code console}: a browser session is a caller too, and console pages without one go to the login. */
    AccessFilter(TokenVerifier tokens, ClientCertificates certificates, boolean open, Consumer<AuditLog.Access> audit,
                 ConsoleGate console) {
        this.console = console;
        this.tokens = tokens;
        this.certificates = certificates;
        this.open = open;
        this.audit = audit;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String path = req.getRequestURI();
        if (ApiScopes.isOpen(path)) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller;
        try {
            caller = authenticate(req);
        } catch (TokenVerifier.InvalidToken e) {
            refuse(req, resp, 401, REALM + ", error=\"invalid_token\", error_description=\"" + quoted(e.getMessage()) + "\"",
                    "invalid_token", e.getMessage(), null);
            return;
        }
        if (caller == null && console != null && ConsoleGate.isConsolePage(path)) {
            ConsoleGate.redirectToLogin(resp);
            record(req, 303, null);
            return;
        }
        if (caller == null) {
            refuse(req, resp, 401, REALM, "unauthorized", "a bearer token or a known client certificate is required", null);
            return;
        }
        String scope = ApiScopes.required(req.getMethod(), path);
        if (scope != null && !caller.holds(scope)) {
            refuse(req, resp, 403, REALM + ", error=\"insufficient_scope\", scope=\"" + scope + "\"", "insufficient_scope",
                    "this request needs the scope " + scope, caller);
            return;
        }
        if (console != null && !csrfChecked(req, resp, caller)) return;
        req.setAttribute(FhirGrant.ATTRIBUTE, new FhirGrant(caller.scopes(), caller.patient()));
        try {
            chain.doFilter(request, response);
        } finally {
            record(req, resp.getStatus(), caller);
        }
    }

    /** The caller, null when none is proven and anonymous callers are not allowed. */
    private Caller authenticate(HttpServletRequest req) throws TokenVerifier.InvalidToken {
        String address = req.getRemoteAddr();
        String authorization = req.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) && tokens != null) {
            return tokens.verify(authorization.substring(7).trim(), address);
        }
        if (req.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] chain) {
            Caller byCertificate = certificates.callerFor(chain, address);
            if (byCertificate != null) return byCertificate;
        }
        if (authorization != null && !open) {
            throw new TokenVerifier.InvalidToken(tokens == null ? "bearer tokens are not accepted here" : "not a bearer token");
        }
        if (console != null) {
            ConsoleSessions.Session session = console.session(req);
            if (session != null) {
                req.setAttribute(ConsoleGate.SESSION, session);
                return new Caller(session.user(), null, "session", session.scopes(), null, address);
            }
        }
        return open ? Caller.local(address) : null;
    }

    /**
     * Every POST a browser session makes, and every POST to a console page, must carry the session's CSRF token (a
     * local caller on an open port gets a session on its first console page for this). False when refused.
     */
    private boolean csrfChecked(HttpServletRequest req, HttpServletResponse resp, Caller caller) throws IOException {
        ConsoleSessions.Session session = (ConsoleSessions.Session) req.getAttribute(ConsoleGate.SESSION);
        String path = req.getRequestURI();
        if (req.getMethod().equals("POST")) {
            if ((session != null || ConsoleGate.isConsolePage(path)) && !ConsoleGate.csrfOk(req, session)) {
                refuse(req, resp, 403, REALM, "csrf", "TSR-0831: this form's CSRF token is missing or stale; reload the page", caller);
                return false;
            }
        } else if (session == null && caller.method().equals("local") && ConsoleGate.isConsolePage(path)) {
            req.setAttribute(ConsoleGate.SESSION, console.openFor(req, resp, caller.name(), caller.scopes()));
        }
        return true;
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, int status, String challenge, String error,
                        String description, Caller caller) throws IOException {
        String code = status == 401 ? "TSR-0810" : "TSR-0812";
        // who and what only: a refused request's query may name a patient, and this is the ordinary log
        log.info("{}: {} {} refused with {} for {} from {}: {}", code, req.getMethod(), req.getRequestURI(), status,
                caller == null ? "an unauthenticated caller" : caller.name(), req.getRemoteAddr(), description);
        resp.setStatus(status);
        resp.setHeader("WWW-Authenticate", challenge);
        resp.setHeader("Cache-Control", "no-store");
        byte[] body;
        if (req.getRequestURI().startsWith("/fhir")) {
            resp.setContentType("application/fhir+json");
            body = JsonServlet.JSON.writeValueAsBytes(Map.of("resourceType", "OperationOutcome", "issue", java.util.List.of(
                    Map.of("severity", "error", "code", status == 401 ? "login" : "forbidden", "diagnostics", code + ": " + description))));
        } else {
            resp.setContentType("application/json");
            body = JsonServlet.JSON.writeValueAsBytes(Map.of("error", error, "error_description", code + ": " + description));
        }
        resp.getOutputStream().write(body);
        record(req, status, caller);
    }

    private void record(HttpServletRequest req, int status, Caller caller) {
        String action = action(req);
        String subtype = switch (action) {
            case "R" -> "read";
            case "C" -> "create";
            default -> req.getMethod().equals("POST") ? "operation" : "search-type";
        };
        audit.accept(new AuditLog.Access(Instant.now(), action, subtype, req.getMethod(), req.getRequestURI(), req.getQueryString(),
                status, caller == null ? "unauthenticated" : caller.name(), caller == null ? null : caller.subject(),
                caller == null ? "none" : caller.method(), req.getRemoteAddr()));
    }

    /** BALP's action: R for reading one resource, E for searches and operations, C for creating (reports in). */
    private static String action(HttpServletRequest req) {
        String path = req.getRequestURI();
        if (req.getMethod().equals("POST")) {
            boolean create = path.equals("/api/reports") || path.startsWith("/api/reports/") || path.matches("/fhir/[A-Za-z]+/?");
            return create ? "C" : "E";
        }
        boolean instance = path.matches("/fhir/[A-Za-z]+/[^/]+(/_history/[^/]+)?") && req.getQueryString() == null;
        return instance ? "R" : "E";
    }

    /** A quoted-string of RFC 9110 carries no quote or backslash unescaped; nimbus messages may have either. */
    private static String quoted(String s) {
        return new String(s.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII).replace("\\", "\\\\").replace("\"", "'");
    }
}
