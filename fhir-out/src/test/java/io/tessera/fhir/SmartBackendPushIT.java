package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.*;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing with SMART Backend Services client credentials, against an in-test token endpoint and FHIR endpoint on
 * loopback: the token endpoint verifies each client assertion's signature with the registered public key and checks
 * its claims; the FHIR endpoint takes only the tokens it was told are current.
 */
class SmartBackendPushIT {
    private static final String CLIENT = "tessera-client";
    private static final String SCOPE = "system/DiagnosticReport.write system/Observation.write";
    private static final String BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}";
    private static final String RESPONSE = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\","
            + "\"entry\":[{\"response\":{\"status\":\"201 Created\"}}]}";
    @TempDir Path dir;
    private HttpServer server;
    private String base;
    private PublicKey registeredKey;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> assertionProblems = new CopyOnWriteArrayList<>();
    private final Set<String> seenJti = new HashSet<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> fhirAuthorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger expiresIn = new AtomicInteger(300);
    private final AtomicInteger refuseNextFhirCalls = new AtomicInteger();
    private final AtomicReference<String> tokenEndpointError = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/fhir", this::fhir);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void an_rs384_assertion_gets_a_token_that_is_reused_for_later_pushes() throws Exception {
        SmartBackendClient client = client(rsaKey(), "rsa-key-1");

        new FhirPusher().push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);
        new FhirPusher().push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);

        assertEquals(List.of(), assertionProblems);
        assertEquals(1, issued.size(), "one token request for both pushes");
        assertEquals(List.of("Bearer " + issued.get(0), "Bearer " + issued.get(0)), fhirAuthorizations);
    }

    @Test
    void an_es384_assertion_from_a_p384_key_is_accepted() throws Exception {
        SmartBackendClient client = client(ecKey(), "ec-key-1");

        new FhirPusher().push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);

        assertEquals(List.of(), assertionProblems);
        assertEquals(1, issued.size());
    }

    @Test
    void the_token_is_renewed_30_seconds_before_it_expires_with_a_new_assertion() throws Exception {
        expiresIn.set(120);
        SmartBackendClient client = client(rsaKey(), null);
        FhirPusher pusher = new FhirPusher();

        pusher.push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);
        clock.advance(Duration.ofSeconds(89));
        pusher.push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);
        assertEquals(1, issued.size(), "still 31 s left: kept");
        clock.advance(Duration.ofSeconds(1));
        pusher.push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);

        assertEquals(2, issued.size(), "30 s before expiry: renewed");
        assertEquals("Bearer " + issued.get(1), fhirAuthorizations.get(2));
        assertEquals(List.of(), assertionProblems, "each assertion valid, with its own jti");
    }

    @Test
    void a_401_gets_a_fresh_token_and_one_more_try() throws Exception {
        SmartBackendClient client = client(rsaKey(), null);
        refuseNextFhirCalls.set(1);

        new FhirPusher().push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE);

        assertEquals(2, issued.size());
        assertEquals(List.of("Bearer " + issued.get(0), "Bearer " + issued.get(1)), fhirAuthorizations);
    }

    @Test
    void a_401_to_the_fresh_token_too_is_a_delivery_failure_with_its_code() throws Exception {
        SmartBackendClient client = client(rsaKey(), null);
        refuseNextFhirCalls.set(2);

        FhirPusher.PushException e = assertThrows(FhirPusher.PushException.class,
                () -> new FhirPusher().push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE));

        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("TSR-0634: "), e.getMessage());
        assertEquals(2, fhirAuthorizations.size(), "tried once more, not again and again");
        for (String token : issued) assertFalse(e.getMessage().contains(token), "no token in the message");
    }

    @Test
    void a_token_endpoint_that_refuses_the_client_is_reported_without_secrets() throws Exception {
        tokenEndpointError.set("{\"error\":\"invalid_client\",\"error_description\":\"unknown kid\"}");
        SmartBackendClient client = client(rsaKey(), "gone");

        FhirPusher.PushException e = assertThrows(FhirPusher.PushException.class,
                () -> new FhirPusher().push(base + "/fhir", client, Duration.ofSeconds(5), BUNDLE));

        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("TSR-0631: ") && e.getMessage().contains("invalid_client: unknown kid"), e.getMessage());
        assertFalse(e.getMessage().contains("eyJ"), "no assertion in the message");
        assertEquals(List.of(), fhirAuthorizations, "nothing pushed without a token");
    }

    @Test
    void a_key_that_is_not_pem_pkcs8_is_refused_at_once() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmartBackendClient(base + "/token", CLIENT, bad, null, SCOPE, clock));
        assertTrue(e.getMessage().startsWith("TSR-0633: ") && e.getMessage().contains("PKCS#8"), e.getMessage());
        KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
        p256.initialize(new ECGenParameterSpec("secp256r1"));
        Path wrongCurve = pem(p256.generateKeyPair(), "p256.pem");
        IllegalArgumentException curve = assertThrows(IllegalArgumentException.class,
                () -> new SmartBackendClient(base + "/token", CLIENT, wrongCurve, null, SCOPE, clock));
        assertTrue(curve.getMessage().contains("P-384"), curve.getMessage());
    }

    // --- the in-test authorization server and FHIR server

    private void token(HttpExchange x) throws IOException {
        Map<String, String> form = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (tokenEndpointError.get() != null) {
            answer(x, 400, "application/json", tokenEndpointError.get());
            return;
        }
        check(form, "grant_type", "client_credentials");
        check(form, "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        check(form, "scope", SCOPE);
        try {
            SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
            JWSVerifier verifier = registeredKey instanceof ECPublicKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAPublicKey) registeredKey);
            if (!jwt.verify(verifier)) assertionProblems.add("signature does not verify with the registered key");
            String alg = jwt.getHeader().getAlgorithm().getName();
            if (!alg.equals(registeredKey instanceof ECPublicKey ? "ES384" : "RS384")) assertionProblems.add("alg " + alg);
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!CLIENT.equals(c.getIssuer()) || !CLIENT.equals(c.getSubject())) assertionProblems.add("iss/sub " + c.getIssuer() + "/" + c.getSubject());
            if (!List.of(base + "/token").equals(c.getAudience())) assertionProblems.add("aud " + c.getAudience());
            Instant exp = c.getExpirationTime().toInstant();
            if (exp.isAfter(clock.instant().plus(Duration.ofMinutes(5))) || !exp.isAfter(clock.instant())) assertionProblems.add("exp " + exp);
            synchronized (seenJti) {
                if (c.getJWTID() == null || !seenJti.add(c.getJWTID())) assertionProblems.add("jti reused or missing");
            }
        } catch (Exception e) {
            assertionProblems.add("unreadable assertion: " + e);
        }
        String t = "tok-" + (issued.size() + 1) + "-" + Long.toHexString(System.nanoTime());
        issued.add(t);
        accepted.clear();
        accepted.add(t);
        answer(x, 200, "application/json", "{\"access_token\":\"" + t + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn.get()
                + ",\"scope\":\"" + SCOPE + "\"}");
    }

    private void fhir(HttpExchange x) throws IOException {
        x.getRequestBody().readAllBytes();
        String authorization = x.getRequestHeaders().getFirst("Authorization");
        fhirAuthorizations.add(authorization);
        boolean current = authorization != null && authorization.startsWith("Bearer ") && accepted.contains(authorization.substring(7));
        if (!current || refuseNextFhirCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(x, 401, "application/fhir+json", "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                    + "\"code\":\"login\",\"diagnostics\":\"token not accepted\"}]}");
            return;
        }
        answer(x, 200, "application/fhir+json", RESPONSE);
    }

    private void check(Map<String, String> form, String key, String expected) {
        if (!expected.equals(form.get(key))) assertionProblems.add(key + "=" + form.get(key));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) m.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void answer(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    // --- keys

    private SmartBackendClient client(Path key, String kid) {
        return new SmartBackendClient(base + "/token", CLIENT, key, kid, SCOPE, clock);
    }

    private Path rsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return pem(g.generateKeyPair(), "rsa.pem");
    }

    private Path ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return pem(g.generateKeyPair(), "ec.pem");
    }

    /** Writes the private key as PEM PKCS#8 and registers its public key with the token endpoint. */
    private Path pem(KeyPair pair, String name) throws IOException {
        registeredKey = pair.getPublic();
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded());
        return Files.writeString(dir.resolve(name), "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override public Instant instant() { return now.get(); }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }
}
