package io.tessera.app;

import io.tessera.config.OAuthConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /.well-known/smart-configuration} (and under {@code /fhir}): tells a SMART Backend Services client where to
 * get a token and what this server accepts. 404 when no issuer is configured: there is nothing to discover.
 */
final class SmartConfigurationServlet extends HttpServlet {
    private final OAuthConfig oauth;

    SmartConfigurationServlet(OAuthConfig oauth) {
        this.oauth = oauth;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        if (!oauth.enabled()) {
            resp.setStatus(404);
            JsonServlet.JSON.writeValue(resp.getOutputStream(), Map.of("error", "no OAuth 2.0 issuer is configured"));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", oauth.issuer());
        if (!oauth.jwksUri().isBlank()) m.put("jwks_uri", oauth.jwksUri());
        if (!oauth.tokenEndpoint().isBlank()) m.put("token_endpoint", oauth.tokenEndpoint());
        m.put("grant_types_supported", List.of("client_credentials"));
        m.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        m.put("scopes_supported", List.of("system/*.read", "system/*.rs", "system/DiagnosticReport.read",
                "system/Observation.read", "system/ImagingStudy.read", "system/Patient.read", "patient/*.read", "patient/*.rs",
                "system/DiagnosticReport.c", ApiScopes.STUDIES_READ, ApiScopes.STATUS_READ, ApiScopes.OUTBOX_READ,
                ApiScopes.REPORTS_WRITE, ApiScopes.PROMPTS_WRITE, Caller.ADMIN));
        m.put("capabilities", List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
        resp.setStatus(200);
        JsonServlet.JSON.writeValue(resp.getOutputStream(), m);
    }
}
