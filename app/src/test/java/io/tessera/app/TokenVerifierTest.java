package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import io.tessera.config.OAuthConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every check a bearer token must pass, with real keys and signatures (nimbus does the JOSE work). */
class TokenVerifierTest {
    @TempDir static Path dir;
    static TestTokens issuer;
    static TokenVerifier verifier;

    static OAuthConfig oauth(String jwksUri, String jwksFile) {
        return new OAuthConfig(TestTokens.ISSUER, TestTokens.AUDIENCE, jwksUri, jwksFile, Duration.ofSeconds(30), "",
                List.of("RS256", "ES256", "PS256"));
    }

    @BeforeAll
    static void keys() throws Exception {
        issuer = new TestTokens();
        verifier = new TokenVerifier(oauth("", issuer.writeJwks(dir.resolve("jwks.json")).toString()));
    }

    private static String reason(String token) {
        return assertThrows(TokenVerifier.InvalidToken.class, () -> verifier.verify(token, "127.0.0.1")).getMessage();
    }

    private static void assertReason(String expected, String token) {
        String reason = reason(token);
        assertTrue(reason.contains(expected), reason);
    }

    @Test
    void a_good_token_gives_its_client_scopes_and_patient() throws Exception {
        Caller c = verifier.verify(issuer.token("ehr", "system/DiagnosticReport.rs tessera/studies.read",
                b -> b.claim("patient", "p-1")), "10.0.0.9");
        assertEquals("ehr", c.name());
        assertEquals("bearer", c.method());
        assertEquals(Set.of("system/DiagnosticReport.rs", "tessera/studies.read"), c.scopes());
        assertEquals("p-1", c.patient());
        assertEquals("10.0.0.9", c.address());
        Caller scp = verifier.verify(issuer.token("ehr", null, b -> b.claim("scp", List.of("tessera/admin"))), "::1");
        assertTrue(scp.holds("tessera/outbox.read"), "admin holds every Tessera scope");
        assertTrue(!scp.holds("system/Patient.read"), "but not FHIR scopes");
    }

    @Test
    void es256_and_ps256_are_accepted() throws Exception {
        assertEquals("a", verifier.verify(TestTokens.sign(issuer.ec, JWSAlgorithm.ES256, TestTokens.claims("a", "x").build()), "h").name());
        assertEquals("b", verifier.verify(TestTokens.sign(issuer.rsa, JWSAlgorithm.PS256, TestTokens.claims("b", "x").build()), "h").name());
    }

    @Test
    void expired_not_yet_valid_foreign_audience_or_issuer_and_no_expiry_are_refused() throws Exception {
        Instant now = Instant.now();
        assertReason("xpired", issuer.token("c", "s", b -> b.expirationTime(Date.from(now.minusSeconds(120)))));
        assertReason("before", issuer.token("c", "s", b -> b.notBeforeTime(Date.from(now.plusSeconds(300)))));
        assertReason("aud", issuer.token("c", "s", b -> b.audience("https://other.test")));
        assertReason("iss", issuer.token("c", "s", b -> b.issuer("https://evil.test")));
        assertReason("exp", issuer.token("c", "s", b -> b.expirationTime(null)));
    }

    @Test
    void within_the_clock_skew_is_still_valid() throws Exception {
        Instant now = Instant.now();
        assertEquals("c", verifier.verify(issuer.token("c", "s", b -> b.expirationTime(Date.from(now.minusSeconds(10)))), "h").name());
    }

    @Test
    void a_foreign_key_an_unsigned_token_a_symmetric_one_and_garbage_are_refused() throws Exception {
        RSAKey stranger = TestTokens.newRsaKey(issuer.rsa.getKeyID()); // same kid, other key
        assertTrue(reason(TestTokens.sign(stranger, JWSAlgorithm.RS256, TestTokens.claims("c", "s").build())).contains("ignature"));
        reason(new PlainJWT(TestTokens.claims("c", "s").build()).serialize());
        com.nimbusds.jose.JWSObject hs = new com.nimbusds.jose.JWSObject(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.HS256),
                new com.nimbusds.jose.Payload(TestTokens.claims("c", "s").build().toJSONObject()));
        hs.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        reason(hs.serialize());
        assertEquals("not a JWT", reason("not.a.token"));
    }

    @Test
    void a_rotated_key_file_is_read_again_without_a_restart() throws Exception {
        Path file = dir.resolve("rotating.json");
        TestTokens before = new TestTokens();
        Files.writeString(file, TestTokens.jwks(before.rsa));
        TokenVerifier v = new TokenVerifier(oauth("", file.toString()));
        RSAKey next = TestTokens.newRsaKey("next");
        String token = TestTokens.sign(next, JWSAlgorithm.RS256, TestTokens.claims("c", "s").build());
        assertThrows(TokenVerifier.InvalidToken.class, () -> v.verify(token, "h"));
        Files.writeString(file, TestTokens.jwks(before.rsa, next));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("c", v.verify(token, "h").name());
    }

    @Test
    void an_unknown_key_id_fetches_the_jwks_uri_again() throws Exception {
        RSAKey first = TestTokens.newRsaKey("first");
        RSAKey second = TestTokens.newRsaKey("second");
        AtomicReference<String> served = new AtomicReference<>(TestTokens.jwks(first));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", ex -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
        try {
            TokenVerifier v = new TokenVerifier(oauth("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks", ""));
            assertEquals("c", v.verify(TestTokens.sign(first, JWSAlgorithm.RS256, TestTokens.claims("c", "s").build()), "h").name());
            assertEquals("c", v.verify(TestTokens.sign(first, JWSAlgorithm.RS256, TestTokens.claims("c", "s").build()), "h").name());
            assertEquals(1, fetches.get(), "the key set is cached");
            served.set(TestTokens.jwks(first, second));
            assertEquals("d", v.verify(TestTokens.sign(second, JWSAlgorithm.RS256, TestTokens.claims("d", "s").build()), "h").name());
            assertEquals(2, fetches.get(), "an unknown kid fetched the set again");
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void a_token_without_client_id_is_named_by_its_subject() throws Exception {
        Caller c = verifier.verify(issuer.token("x", "s", b -> b.claim("client_id", null).subject("svc-7")), "h");
        assertEquals("svc-7", c.name());
        assertNull(c.patient());
    }
}
