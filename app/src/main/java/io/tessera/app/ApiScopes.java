package io.tessera.app;

/**
 * The scope each route of Tessera's own API needs. FHIR requests ({@code /fhir/...}) need an authenticated caller here
 * and are then judged by their SMART scopes in the FHIR layer. {@code tessera/admin} holds every Tessera scope.
 *
 * <table>
 *   <caption>Tessera API scopes</caption>
 *   <tr><th>Scope</th><th>Allows</th></tr>
 *   <tr><td>tessera/studies.read</td><td>GET /api/studies, GET /api/jobs, GET /api/reports (a list without text)</td></tr>
 *   <tr><td>tessera/status.read</td><td>GET /api/models, GET /api/listener, GET /api/cluster, GET /metrics</td></tr>
 *   <tr><td>tessera/outbox.read</td><td>GET /api/outbox</td></tr>
 *   <tr><td>tessera/reports.write</td><td>POST /api/reports (and POST of a report to the FHIR endpoint)</td></tr>
 *   <tr><td>tessera/prompts.write</td><td>POST /api/studies/{uid}/prompts (a box or clicks run by a promptable model)</td></tr>
 *   <tr><td>tessera/studies.read</td><td>the console's study pages and key images ({@code /}, {@code /console/studies...})</td></tr>
 *   <tr><td>tessera/status.read</td><td>the console's models and listener pages</td></tr>
 *   <tr><td>tessera/outbox.read</td><td>the console's outbox page</td></tr>
 *   <tr><td>tessera/audit.read</td><td>the console's audit trail page</td></tr>
 *   <tr><td>tessera/admin</td><td>POST /api/outbox/{id}/replay, the console's replay buttons, and everything above</td></tr>
 * </table>
 */
final class ApiScopes {
    static final String STUDIES_READ = "tessera/studies.read";
    static final String STATUS_READ = "tessera/status.read";
    static final String OUTBOX_READ = "tessera/outbox.read";
    static final String AUDIT_READ = "tessera/audit.read";
    static final String REPORTS_WRITE = "tessera/reports.write";
    static final String PROMPTS_WRITE = "tessera/prompts.write";

    private ApiScopes() {}

    /** Paths that answer without a caller: liveness (no data) and the SMART discovery document. */
    static boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/.well-known/smart-configuration")
                || path.equals("/fhir/.well-known/smart-configuration") || path.equals("/fhir/metadata")
                || path.equals("/login") || path.equals("/login/oidc") || path.equals("/login/oidc/callback")
                || path.startsWith("/console/assets/");
    }

    /** The scope {@code method path} needs, {@code null} for FHIR (judged there), or {@link Caller#ADMIN} otherwise. */
    static String required(String method, String path) {
        if (path.startsWith("/fhir/") || path.equals("/fhir")) return null;
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read && (path.equals("/api/studies") || path.equals("/api/jobs") || path.equals("/api/reports"))) return STUDIES_READ;
        if (read && (path.equals("/api/models") || path.equals("/api/listener") || path.equals("/api/cluster")
                || path.equals("/metrics"))) return STATUS_READ;
        if (read && (path.equals("/api/outbox") || path.startsWith("/api/outbox/"))) return OUTBOX_READ;
        if (read && (path.equals("/") || path.startsWith("/console/studies"))) return STUDIES_READ;
        if (method.equals("POST") && path.equals("/console/studies")) return STUDIES_READ; // the search form
        if (read && path.startsWith("/console/outbox")) return OUTBOX_READ;
        if (read && (path.startsWith("/console/models") || path.startsWith("/console/listener"))) return STATUS_READ;
        if ((read || method.equals("POST")) && path.equals("/console/audit")) return AUDIT_READ; // POST: the filter form
        if (path.equals("/logout")) return null; // any caller with a session may end it
        if (method.equals("POST") && (path.equals("/api/reports") || path.startsWith("/api/reports/"))) return REPORTS_WRITE;
        if (method.equals("POST") && path.startsWith("/api/studies/") && path.matches("/api/studies/[^/]+/prompts/?")) {
            return PROMPTS_WRITE;
        }
        return Caller.ADMIN; // replay, and any route added later until it is given its own scope
    }
}
