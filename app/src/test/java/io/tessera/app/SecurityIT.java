package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.testkit.ExternalTool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP port as a hospital network sees it: HTTPS only, bearer tokens of one issuer (minted here from a test key
 * pair whose public JWK Set the server reads), a machine client by its certificate, and for every route: no token 401,
 * wrong scope 403, right scope served, expired 401. Real clients: Java's HttpClient and curl.
 */
class SecurityIT {
    @TempDir static Path work;
    @TempDir static Path keys;
    static TestPki pki;
    static TestTokens issuer;
    static TesseraServer tessera;
    static String base;
    static HttpClient https;

    /** A route, the scope it needs, and the status the right scope gets on an empty server. */
    record Route(String method, String path, String contentType, String body, String scope, int served) {}

    static final String REPORT = "{\"accessionNumber\":\"ACC-SEC-1\",\"text\":\"No acute findings.\"}";
    static final String FHIR_REPORT = "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\",\"code\":{\"text\":\"CT\"},"
            + "\"basedOn\":[{\"identifier\":{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\","
            + "\"code\":\"ACSN\"}]},\"value\":\"ACC-SEC-2\"}}],\"presentedForm\":[{\"contentType\":\"text/plain\","
            + "\"data\":\"Tm8gYWN1dGUgZmluZGluZ3Mu\"}]}";

    static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/studies", null, null, "tessera/studies.read", 200),
            new Route("GET", "/api/jobs", null, null, "tessera/studies.read", 200),
            new Route("GET", "/api/models", null, null, "tessera/status.read", 200),
            new Route("GET", "/api/listener", null, null, "tessera/status.read", 200),
            new Route("GET", "/api/outbox", null, null, "tessera/outbox.read", 200),
            new Route("POST", "/api/reports", "application/json", REPORT, "tessera/reports.write", 202),
            new Route("POST", "/api/outbox/replay?destination=nowhere", "application/json", "", "tessera/admin", 200),
            new Route("GET", "/fhir/Patient", null, null, "system/Patient.read", 200),
            new Route("GET", "/fhir/DiagnosticReport?status=final", null, null, "system/DiagnosticReport.rs", 200),
            new Route("GET", "/fhir/ImagingStudy", null, null, "system/*.read", 200),
            new Route("GET", "/fhir/Observation", null, null, "system/Observation.read", 200),
            new Route("POST", "/fhir/DiagnosticReport", "application/fhir+json", FHIR_REPORT, "system/DiagnosticReport.c", 201),
            // last, so the positions the tests above use stay as they are
            new Route("GET", "/api/cluster", null, null, "tessera/status.read", 200));

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(keys);
        pki.client("ris", "/O=Hospital/CN=ris.example.org");
        pki.client("stranger", "/O=Elsewhere/CN=stranger.example.org");
        issuer = new TestTokens();
        Path jwks = issuer.writeJwks(keys.resolve("jwks.json"));
        ServerConfig config = ServerConfig.in(work).completion(null)
                .http("tls: { enabled: true, keyStore: " + keys.resolve("server.p12") + ", keyStorePassword: " + TestPki.PASSWORD
                        + ", trustStore: " + keys.resolve("trust.p12") + ", trustStorePassword: " + TestPki.PASSWORD
                        + ", clientAuth: want }")
                .section("security: { oauth: { issuer: '" + TestTokens.ISSUER + "', audience: '" + TestTokens.AUDIENCE
                        + "', jwksFile: " + jwks + ", tokenEndpoint: 'https://idp.tessera.test/token' },"
                        + " clients: [ { name: ris, subject: 'CN=ris.example.org,O=Hospital', scopes: [tessera/reports.write] } ] }");
        tessera = config.start();
        base = tessera.httpBaseUrl();
        https = client(null);
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
    }

    static HttpClient client(String certificate) throws Exception {
        return HttpClient.newBuilder().sslContext(pki.context(certificate)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> call(HttpClient client, Route r, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.path())).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (r.method().equals("POST")) b.header("Content-Type", r.contentType()).POST(HttpRequest.BodyPublishers.ofString(r.body()));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void every_route_without_a_token_is_401_with_a_bearer_challenge() throws Exception {
        for (Route r : ROUTES) {
            HttpResponse<String> a = call(https, r, null);
            assertEquals(401, a.statusCode(), r.path());
            assertTrue(a.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm="), r.path());
            assertFalse(a.body().contains("ACC-SEC"), "no data in a refusal");
        }
    }

    @Test
    void every_route_with_the_wrong_scope_is_403_naming_nothing_it_protects() throws Exception {
        String token = issuer.token("viewer", "system/Device.read");
        for (Route r : ROUTES) {
            HttpResponse<String> a = call(https, r, token);
            assertEquals(403, a.statusCode(), r.path() + ": " + a.body());
        }
    }

    @Test
    void every_route_with_its_scope_is_served_and_with_an_expired_token_is_401() throws Exception {
        for (Route r : ROUTES) {
            HttpResponse<String> a = call(https, r, issuer.token("ehr", r.scope()));
            assertEquals(r.served(), a.statusCode(), r.method() + " " + r.path() + ": " + a.body());
            String expired = issuer.token("ehr", r.scope(), b -> b.expirationTime(Date.from(Instant.now().minusSeconds(600))));
            HttpResponse<String> late = call(https, r, expired);
            assertEquals(401, late.statusCode(), r.path());
            assertTrue(late.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""), r.path());
        }
    }

    @Test
    void admin_holds_every_tessera_scope_but_no_fhir_scope() throws Exception {
        String admin = issuer.token("ops", "tessera/admin");
        assertEquals(200, call(https, ROUTES.get(0), admin).statusCode());
        assertEquals(200, call(https, ROUTES.get(4), admin).statusCode());
        assertEquals(403, call(https, ROUTES.get(7), admin).statusCode(), "patient data needs a FHIR scope");
    }

    @Test
    void tokens_of_another_issuer_audience_or_key_are_401() throws Exception {
        Route studies = ROUTES.get(0);
        assertEquals(401, call(https, studies, issuer.token("x", "tessera/admin", b -> b.issuer("https://evil.test"))).statusCode());
        assertEquals(401, call(https, studies, issuer.token("x", "tessera/admin", b -> b.audience("https://other.test"))).statusCode());
        String forged = TestTokens.sign(TestTokens.newRsaKey(issuer.rsa.getKeyID()), com.nimbusds.jose.JWSAlgorithm.RS256,
                TestTokens.claims("x", "tessera/admin").build());
        assertEquals(401, call(https, studies, forged).statusCode());
        assertEquals(401, call(https, studies, "garbage").statusCode());
    }

    @Test
    void a_client_certificate_acts_as_its_configured_client_and_an_unknown_one_is_401() throws Exception {
        HttpClient ris = client("ris");
        assertEquals(202, call(ris, ROUTES.get(5), null).statusCode(), "the RIS posts reports by certificate");
        assertEquals(403, call(ris, ROUTES.get(0), null).statusCode(), "and may do nothing else");
        assertEquals(401, call(client("stranger"), ROUTES.get(5), null).statusCode(), "a trusted CA alone names no client");
    }

    @Test
    void health_and_discovery_are_open_and_carry_no_data() throws Exception {
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals(Map.of("status", "UP"), JsonServlet.JSON.readValue(health.body(), Map.class));
        for (String path : List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration")) {
            HttpResponse<String> smart = https.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, smart.statusCode(), path);
            Map<?, ?> doc = JsonServlet.JSON.readValue(smart.body(), Map.class);
            assertEquals("https://idp.tessera.test/token", doc.get("token_endpoint"));
            assertEquals(TestTokens.ISSUER, doc.get("issuer"));
        }
        assertEquals(200, https.send(HttpRequest.newBuilder(URI.create(base + "/fhir/metadata")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "the capability statement describes the server, no patient");
    }

    @Test
    void curl_over_https_with_the_test_ca_gets_hsts_and_tls_1_1_is_refused() throws Exception {
        String token = issuer.token("curl", "tessera/studies.read");
        ExternalTool.Result ok = ExternalTool.run(List.of("curl", "-sS", "-i", "--cacert", keys.resolve("ca.pem").toString(),
                "-H", "Authorization: Bearer " + token, base + "/api/studies"), Map.of(), 30);
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().startsWith("HTTP/1.1 200"), ok.output());
        assertTrue(ok.output().toLowerCase().contains("strict-transport-security: max-age=31536000"), ok.output());
        ExternalTool.Result old = ExternalTool.run(List.of("curl", "-sS", "--cacert", keys.resolve("ca.pem").toString(),
                "--tlsv1.1", "--tls-max", "1.1", base + "/health"), Map.of(), 30);
        assertNotEquals(0, old.exitCode(), "TLS 1.1 must be refused: " + old.output());
        ExternalTool.Result plain = ExternalTool.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                base.replace("https://", "http://") + "/api/studies"), Map.of(), 30);
        assertFalse(plain.output().startsWith("200"), "plain HTTP on the TLS port gets no data: " + plain.output());
    }

    @Test
    void every_access_and_refusal_is_in_the_audit_trail_and_no_token_is() throws Exception {
        String token = issuer.token("auditor-check", "system/Patient.read");
        assertEquals(200, call(https, new Route("GET", "/fhir/Patient?identifier=MRN-AUDIT-1", null, null, null, 0), token).statusCode());
        assertEquals(401, call(https, ROUTES.get(1), null).statusCode());
        Path trail = work.resolve("var/audit/audit.log");
        String log = Awaits.within(Duration.ofSeconds(10)).until(() -> Files.readString(trail), s -> s.contains("MRN-AUDIT-1"));
        String line = log.lines().filter(l -> l.contains("MRN-AUDIT-1")).findFirst().orElseThrow();
        assertTrue(line.contains("\"event\":\"rest\"") && line.contains("\"action\":\"E\"") && line.contains("\"subtype\":\"search-type\"") && line.contains("\"client\":\"auditor-check\"")
                && line.contains("\"authMethod\":\"bearer\"") && line.contains("\"outcome\":\"0\"") && line.contains("\"path\":\"/fhir/Patient\""), line);
        assertTrue(log.lines().anyMatch(l -> l.contains("/api/jobs") && l.contains("\"status\":401") && l.contains("\"outcome\":\"4\"")), log);
        assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "tokens are never written");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(trail)));
    }

    @Test
    void a_client_without_the_test_ca_cannot_talk_to_the_server() {
        HttpClient naive = HttpClient.newHttpClient();
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> naive.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void the_replay_command_presents_its_token(@TempDir Path other) throws Exception {
        // tokens without TLS: allowed on a loopback address only (a reverse proxy in front terminates TLS)
        ServerConfig config = ServerConfig.in(other).completion(null)
                .section("security: { oauth: { issuer: '" + TestTokens.ISSUER + "', audience: '" + TestTokens.AUDIENCE
                        + "', jwksFile: " + keys.resolve("jwks.json") + " } }");
        try (TesseraServer plain = config.start()) {
            String url = plain.httpBaseUrl();
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            assertEquals(1, Main.run(new String[] {"replay", "--destination", "nowhere", "--url", url}), "no token: 401");
            assertEquals(1, Main.run(new String[] {"replay", "--destination", "nowhere", "--url", url,
                    "--token", issuer.token("ops", "tessera/outbox.read")}), "reading the outbox is not replaying it: 403");
            assertEquals(0, Main.run(new String[] {"replay", "--destination", "nowhere", "--url", url,
                    "--token", issuer.token("ops", "tessera/admin")}));
        }
    }
}
