package io.tessera.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialChecksTest {
    @TempDir Path dir;

    private TesseraConfig load(String yaml, Map<String, String> env) throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, yaml);
        return new ConfigLoader().load(f, env, List.of());
    }

    private String problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, Map.of()));
        return String.join("\n", e.violations());
    }

    @Test
    void smart_backend_keys_map_and_nothing_secret_is_printed() throws Exception {
        FhirAuthConfig a = load("destinations: [{ name: ehr, type: fhir, url: 'https://ehr.example.org/fhir', auth: { type: smart-backend,"
                + " tokenEndpoint: 'https://ehr.example.org/token', clientId: tessera, privateKeyFile: /etc/tessera/client.pem,"
                + " keyId: k1, scope: 'system/DiagnosticReport.write system/Observation.write' } }]\n", Map.of())
                .destinations().get(0).auth();
        assertEquals(FhirAuthConfig.smartBackend("https://ehr.example.org/token", "tessera", "/etc/tessera/client.pem", "k1",
                "system/DiagnosticReport.write system/Observation.write"), a);
    }

    @Test
    void smart_backend_without_its_keys_is_refused() {
        String all = problems("destinations: [{ name: ehr, type: fhir, url: 'https://ehr.example.org/fhir', auth: { type: smart-backend } }]\n");
        assertTrue(all.contains("destinations[0].auth.smartBackendComplete: smart-backend auth needs tokenEndpoint"), all);
    }

    @Test
    void credentials_over_plain_http_to_another_host_are_refused_naming_the_key() {
        String bearer = problems("destinations: [{ name: ehr, type: fhir, url: 'http://ehr.example.org/fhir', auth: { type: bearer, token: t0p } }]\n");
        assertTrue(bearer.contains("destinations[0].url: TSR-0070: bearer credentials would be sent in clear text"), bearer);
        assertFalse(bearer.contains("t0p"), "the token is never printed");
        String basic = problems("destinations: [{ name: ehr, type: fhir, url: 'http://10.0.0.5/fhir', auth: { type: basic, username: u, password: p } }]\n");
        assertTrue(basic.contains("destinations[0].url: TSR-0070"), basic);
        String smart = problems("destinations: [{ name: ehr, type: fhir, url: 'https://ehr.example.org/fhir', auth: { type: smart-backend,"
                + " tokenEndpoint: 'http://ehr.example.org/token', clientId: c, privateKeyFile: k.pem, scope: system/*.write } }]\n");
        assertTrue(smart.contains("destinations[0].auth.tokenEndpoint: TSR-0071"), smart);
        assertFalse(smart.contains("destinations[0].url"), smart);
    }

    @Test
    void plain_http_is_allowed_to_loopback_and_without_credentials() throws Exception {
        for (String host : List.of("127.0.0.1:8081", "localhost", "[::1]:9000")) {
            DestinationConfig d = load("destinations: [{ name: ehr, type: fhir, url: 'http://" + host + "/fhir', auth: { type: smart-backend,"
                    + " tokenEndpoint: 'http://" + host + "/token', clientId: c, privateKeyFile: k.pem, scope: system/*.write } }]\n",
                    Map.of()).destinations().get(0);
            assertEquals(List.of("http://" + host + "/fhir", "smart-backend"), List.of(d.url(), d.auth().type()), host);
        }
        DestinationConfig open = load("destinations: [{ name: ehr, type: fhir, url: 'http://ehr.example.org/fhir' }]\n",
                Map.of()).destinations().get(0);
        assertEquals("http://ehr.example.org/fhir", open.url());
        assertNull(open.auth(), "no credentials: plain http is the site's choice");
    }

    @Test
    void index_password_comes_from_the_environment_and_is_never_printed() throws Exception {
        StorageConfig s = load("storage: { dir: ./var }\n", Map.of("TESSERA_STORAGE_INDEXPASSWORD", "idx-secret")).storage();
        assertEquals(new StorageConfig("./var", "", "", "idx-secret"), s);
        assertTrue(s.embeddedIndex());
        assertFalse(s.toString().contains("idx-secret"), s.toString());
        StorageConfig jdbc = load("storage: { dir: ./var, indexUrl: 'jdbc:postgresql://db/tessera', indexUser: tessera }\n",
                Map.of("TESSERA_STORAGE_INDEX_PASSWORD", "pg-secret")).storage();
        assertEquals(new StorageConfig("./var", "jdbc:postgresql://db/tessera", "tessera", "pg-secret"), jdbc);
    }

    @Test
    void an_index_user_without_an_index_url_is_reported() {
        String all = problems("storage: { dir: ./var, indexUser: bob }\n");
        assertTrue(all.contains("storage.indexUser: TSR-0072"), all);
    }

    @Test
    void destination_tls_checks_the_host_name_unless_told_not_to() throws Exception {
        TesseraConfig c = load("destinations: [{ name: a, type: dicom, aeTitle: A, host: pacs.example.org, port: 104, tls: { enabled: true } },"
                + " { name: b, type: dicom, aeTitle: B, host: 10.0.0.7, port: 104, tls: { enabled: true, verifyHostname: false } }]\n", Map.of());
        assertTrue(c.destinations().get(0).tls().verifyHostname());
        assertFalse(c.destinations().get(1).tls().verifyHostname());
    }
}
