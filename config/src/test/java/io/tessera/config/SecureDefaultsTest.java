package io.tessera.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureDefaultsTest {
    @TempDir Path dir;

    private static final String OAUTH = "security: { oauth: { issuer: 'https://idp.example.org', audience: tessera,"
            + " jwksUri: 'https://idp.example.org/jwks' } }\n";
    private static final String HTTPS = "  tls: { enabled: true, keyStore: server.p12, keyStorePassword: secret }\n";

    private TesseraConfig load(String yaml) throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, yaml);
        return new ConfigLoader().load(f, Map.of(), List.of());
    }

    private String refusal(String yaml) {
        return String.join("\n", assertThrows(ConfigException.class, () -> load(yaml)).violations());
    }

    @Test
    void loopback_defaults_need_nothing() throws Exception {
        TesseraConfig c = load("");
        assertTrue(SecureDefaults.problems(c).isEmpty());
        assertTrue(SecureDefaults.warnings(c).isEmpty());
    }

    @Test
    void http_on_the_network_needs_authentication_and_tls_and_says_which_keys() {
        String bare = refusal("http: { bindAddress: 0.0.0.0 }\n");
        assertTrue(bare.contains("http.bindAddress: 0.0.0.0") && bare.contains("security.oauth.issuer")
                && bare.contains("http.tls.enabled") && bare.contains("security.insecure"), bare);
        String tokensOnly = refusal("http: { bindAddress: 0.0.0.0 }\n" + OAUTH);
        assertTrue(tokensOnly.contains("http.tls.enabled") && !tokensOnly.contains("security.oauth.issuer"), tokensOnly);
        String tlsOnly = refusal("http:\n  bindAddress: 10.0.0.5\n" + HTTPS);
        assertTrue(tlsOnly.contains("security.oauth.issuer") && !tlsOnly.contains("http.tls.enabled"), tlsOnly);
    }

    @Test
    void http_on_the_network_with_tokens_and_tls_starts() throws Exception {
        TesseraConfig c = load("http:\n  bindAddress: 0.0.0.0\n" + HTTPS + OAUTH);
        assertTrue(c.security().authenticates());
        assertTrue(SecureDefaults.problems(c).isEmpty());
    }

    @Test
    void console_users_count_as_authentication_on_the_network_but_still_need_https() throws Exception {
        String users = "console: { usersFile: users.txt }\n";
        String plain = refusal("http: { bindAddress: 0.0.0.0 }\n" + users);
        assertTrue(plain.contains("http.tls.enabled") && !plain.contains("security.oauth.issuer"), plain);
        TesseraConfig c = load("http:\n  bindAddress: 0.0.0.0\n" + HTTPS + users);
        assertTrue(SecureDefaults.problems(c).isEmpty(), SecureDefaults.problems(c).toString());
    }

    @Test
    void insecure_lifts_the_refusals_and_is_warned_about() throws Exception {
        TesseraConfig c = load("http: { bindAddress: 0.0.0.0 }\ndicom: { bindAddress: 0.0.0.0 }\nsecurity: { insecure: true }\n");
        List<String> warnings = SecureDefaults.warnings(c);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("http.bindAddress") && warnings.get(1).startsWith("dicom.bindAddress"), warnings.toString());
    }

    @Test
    void dicom_on_the_network_needs_ae_at_host_entries_or_client_certificates() throws Exception {
        String none = refusal("dicom: { bindAddress: 0.0.0.0 }\n");
        assertTrue(none.contains("dicom.allowedCallingAeTitles") && none.contains("AE@host"), none);
        String aeOnly = refusal("dicom: { bindAddress: 0.0.0.0, allowedCallingAeTitles: [CT1@10.1.2.3, PACS] }\n");
        assertTrue(aeOnly.contains("dicom.bindAddress"), "an AE title alone can be claimed by anyone: " + aeOnly);
        assertTrue(SecureDefaults.problems(load("dicom: { bindAddress: 0.0.0.0, allowedCallingAeTitles: [CT1@10.1.2.3, PACS@10.1.0.0/16] }\n")).isEmpty());
        assertTrue(SecureDefaults.problems(load("dicom: { bindAddress: 0.0.0.0, port: -1,"
                + " tls: { enabled: true, keyStore: k.p12, requireClientCert: true } }\n")).isEmpty());
        String plainBeside = refusal("dicom: { bindAddress: 0.0.0.0, tls: { enabled: true, keyStore: k.p12, requireClientCert: true } }\n");
        assertTrue(plainBeside.contains("dicom.port: -1"), "the plain port beside TLS is open to anyone: " + plainBeside);
    }

    @Test
    void hl7_on_the_network_needs_tls_and_a_sender_allow_list_or_client_certificates() throws Exception {
        String open = refusal("hl7: { enabled: true, bindAddress: 0.0.0.0 }\n");
        assertTrue(open.contains("hl7.allowedSenders") && open.contains("hl7.tls.enabled"), open);
        String plain = refusal("hl7: { enabled: true, bindAddress: 0.0.0.0, allowedSenders: [10.1.2.0/24] }\n");
        assertTrue(plain.contains("hl7.tls.enabled") && !plain.contains("hl7.allowedSenders"), "reports travel encrypted: " + plain);
        assertTrue(SecureDefaults.problems(load("hl7: { enabled: true, bindAddress: 0.0.0.0, allowedSenders: [10.1.2.0/24],"
                + " tls: { enabled: true, keyStore: k.p12 } }\n")).isEmpty());
        assertTrue(SecureDefaults.problems(load("hl7: { enabled: true, bindAddress: 0.0.0.0,"
                + " tls: { enabled: true, keyStore: k.p12, requireClientCert: true } }\n")).isEmpty());
        assertTrue(SecureDefaults.problems(load("hl7: { enabled: false, bindAddress: 0.0.0.0 }\n")).isEmpty(), "a disabled listener binds nothing");
    }

    @Test
    void client_certificates_need_tls_that_asks_for_them() {
        String e = refusal("security: { clients: [ { name: ris, subject: 'CN=ris', scopes: [tessera/reports.write] } ] }\n");
        assertTrue(e.contains("security.clients") && e.contains("http.tls.clientAuth"), e);
    }

    @Test
    void an_issuer_needs_an_audience_one_key_source_and_https() {
        String e = refusal("security: { oauth: { issuer: 'https://idp', jwksUri: 'http://idp.example.org/jwks', jwksFile: k.json } }\n");
        assertTrue(e.contains("security.oauth") && e.contains("audience"), e);
        assertTrue(e.contains("exactly one of jwksUri or jwksFile"), e);
        assertTrue(e.contains("jwksUri must be https"), e);
        String alg = refusal(OAUTH.replace("} }", ", algorithms: [HS256] } }"));
        assertTrue(alg.contains("security.oauth.algorithms") && alg.contains("asymmetric"), alg);
    }
}
