package io.tessera.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OidcLoginConfigTest {
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

    @Test
    void off_by_default_and_defaults_filled_in_when_an_issuer_is_given() throws Exception {
        ConsoleConfig off = new ConfigLoader().load(null, Map.of(), List.of()).console();
        assertFalse(off.oidc().enabled());
        assertFalse(off.hasLogin());
        java.nio.file.Path f = dir.resolve("tessera.yaml");
        java.nio.file.Files.writeString(f, "console:\n  oidc:\n    issuer: https://login.example.org/realms/hospital\n"
                + "    clientId: tessera\n    redirectUri: https://tessera.example.org/login/oidc/callback\n");
        OidcLoginConfig on = new ConfigLoader().load(f, Map.of("TESSERA_CONSOLE_OIDC_CLIENT_SECRET", "s3cret"), List.of())
                .console().oidc();
        assertTrue(on.enabled());
        assertEquals("s3cret", on.clientSecret());
        assertEquals(List.of("openid", "profile"), on.scopes());
        assertEquals("scope", on.scopeClaim());
        assertEquals("groups", on.groupsClaim());
        assertFalse(on.toString().contains("s3cret"), "the secret is never printed");
    }

    @Test
    void an_issuer_needs_a_client_and_callback_and_http_only_on_loopback() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--console.oidc.issuer=http://login.example.org/realms/hospital")));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("console.oidc") && all.contains("clientId and redirectUri"), all);
        assertTrue(all.contains("issuer must be https"), all);
        ConfigException path = assertThrows(ConfigException.class, () -> new ConfigLoader().load(null, Map.of(),
                List.of("--console.oidc.issuer=https://login.example.org", "--console.oidc.clientId=t",
                        "--console.oidc.redirectUri=https://tessera.example.org/elsewhere")));
        assertTrue(String.join("\n", path.violations()).contains("redirectUri must end in /login/oidc/callback"));
    }

    @Test
    void group_scopes_map_from_yaml() {
        OidcLoginConfig c = new OidcLoginConfig("https://idp", "tessera", "", "https://t/login/oidc/callback", null, null, null,
                Map.of("radiology-it", Set.of("tessera/admin")), null, null);
        assertEquals(Set.of("tessera/admin"), c.groupScopes().get("radiology-it"));
        assertTrue(c.isOpenIdRequested());
    }
}
