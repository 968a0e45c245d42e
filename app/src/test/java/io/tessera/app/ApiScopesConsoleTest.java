package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiScopesConsoleTest {
    @Test
    void console_pages_need_the_scope_of_the_api_they_show_and_replay_needs_admin() {
        assertEquals(ApiScopes.STUDIES_READ, ApiScopes.required("GET", "/"));
        assertEquals(ApiScopes.STUDIES_READ, ApiScopes.required("GET", "/console/studies"));
        assertEquals(ApiScopes.STUDIES_READ, ApiScopes.required("GET", "/console/studies/1.2.3/key-image.png"));
        assertEquals(ApiScopes.STUDIES_READ, ApiScopes.required("POST", "/console/studies"), "the search form");
        assertEquals(ApiScopes.OUTBOX_READ, ApiScopes.required("GET", "/console/outbox"));
        assertEquals(ApiScopes.STATUS_READ, ApiScopes.required("GET", "/console/models"));
        assertEquals(ApiScopes.STATUS_READ, ApiScopes.required("GET", "/console/listener"));
        assertEquals(Caller.ADMIN, ApiScopes.required("POST", "/console/outbox/7/replay"));
        assertEquals(ApiScopes.AUDIT_READ, ApiScopes.required("GET", "/console/audit"));
        assertEquals(ApiScopes.AUDIT_READ, ApiScopes.required("POST", "/console/audit"), "the audit filter form");
        assertEquals(Caller.ADMIN, ApiScopes.required("POST", "/console/audit/anything"));
        assertNull(ApiScopes.required("POST", "/logout"), "anyone logged in may log out");
    }

    @Test
    void only_the_login_form_and_the_assets_are_open() {
        assertTrue(ApiScopes.isOpen("/login"));
        assertTrue(ApiScopes.isOpen("/login/oidc") && ApiScopes.isOpen("/login/oidc/callback"));
        assertTrue(ApiScopes.isOpen("/console/assets/console.css"));
        assertFalse(ApiScopes.isOpen("/console/studies"));
        assertFalse(ApiScopes.isOpen("/logout"));
        assertFalse(ApiScopes.isOpen("/"));
    }

    @Test
    void only_the_consoles_forms_may_be_form_encoded() {
        String form = "application/x-www-form-urlencoded";
        assertNull(HttpGuard.contentTypeProblem("/login", form, 10));
        assertNull(HttpGuard.contentTypeProblem("/console/outbox/1/replay", form, 10));
        assertTrue(HttpGuard.contentTypeProblem("/api/outbox/1/replay", form, 10).startsWith("TSR-0804"));
        assertTrue(HttpGuard.contentTypeProblem("/api/reports", form, 10).startsWith("TSR-0804"));
    }
}
