package io.tessera.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.tessera.config.OidcLoginConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ID token checks, against a provider that misbehaves on purpose (an in-test HTTP server: discovery, JWKS and a
 * token endpoint answering whatever ID token the test signs). The real provider's happy path is ConsoleOidcLoginIT.
 */
class OidcProviderTest {
    private HttpServer server;
    private String issuer;
    private String discoveredIssuer;
    private RSAKey key;
    private volatile String tokenJson = "{}";
    private final OidcLogins logins = new OidcLogins(Clock.systemUTC());

    @BeforeEach
    void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/idp";
        discoveredIssuer = issuer;
        server.createContext("/idp/.well-known/openid-configuration", x -> answer(x, "{\"issuer\": \"" + discoveredIssuer
                + "\", \"authorization_endpoint\": \"" + issuer + "/auth\", \"token_endpoint\": \"" + issuer + "/token\", "
                + "\"jwks_uri\": \"" + issuer + "/jwks\", \"code_challenge_methods_supported\": [\"S256\"]}"));
        server.createContext("/idp/jwks", x -> answer(x, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/idp/token", x -> answer(x, tokenJson));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OidcProvider provider(String tokenJson) {
        this.tokenJson = tokenJson;
        return new OidcProvider(new OidcLoginConfig(issuer, "tessera", "", "http://127.0.0.1:1/login/oidc/callback", null,
                null, null, Map.of("radiology-it", Set.of("tessera/admin")), null, null));
    }

    private String signed(JWTClaimsSet claims, RSAKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private JWTClaimsSet.Builder claims(String nonce) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience("tessera").subject("u-17").issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 300_000)).claim("nonce", nonce)
                .claim("preferred_username", "ops.lead").claim("groups", List.of("radiology-it", "canteen"))
                .claim("scope", "openid profile tessera/studies.read");
    }

    private OidcProvider.Identity redeem(JWTClaimsSet c, RSAKey with, OidcLogins.Pending login) throws Exception {
        return provider("{\"id_token\": \"" + signed(c, with) + "\"}").redeem("code", login);
    }

    @Test
    void a_good_id_token_gives_the_user_and_the_scopes_of_its_groups_and_scope_claim() throws Exception {
        OidcLogins.Pending login = logins.start().orElseThrow();
        OidcProvider.Identity who = redeem(claims(login.nonce()).build(), key, login);
        assertEquals("ops.lead", who.user());
        assertEquals(Set.of("tessera/admin", "tessera/studies.read"), who.scopes(), "openid/profile are not Tessera scopes");
        String auth = provider("{}").authorizationRequest(login).toString();
        assertTrue(auth.contains("code_challenge=" + login.challenge()) && auth.contains("code_challenge_method=S256"), auth);
    }

    @Test
    void a_wrong_nonce_audience_issuer_expiry_or_key_is_refused() throws Exception {
        OidcLogins.Pending login = logins.start().orElseThrow();
        RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
        Map<String, JWTClaimsSet> bad = Map.of(
                "nonce", claims("another login's nonce").build(),
                "audience", claims(login.nonce()).audience("someone-else").build(),
                "issuer", claims(login.nonce()).issuer("https://evil.example").build(),
                "expiry", claims(login.nonce()).expirationTime(new Date(System.currentTimeMillis() - 600_000)).build());
        for (var e : bad.entrySet()) {
            assertThrows(OidcProvider.LoginFailed.class, () -> redeem(e.getValue(), key, login), e.getKey());
        }
        assertThrows(OidcProvider.LoginFailed.class, () -> redeem(claims(login.nonce()).build(), other, login), "foreign key");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(login.nonce()).build());
        hmac.sign(new MACSigner("a shared secret of at least thirty-two bytes!".getBytes(StandardCharsets.UTF_8)));
        assertThrows(OidcProvider.LoginFailed.class, () -> provider("{\"id_token\": \"" + hmac.serialize() + "\"}")
                .redeem("code", login), "symmetric algorithm");
        assertThrows(OidcProvider.LoginFailed.class, () -> provider("{\"access_token\": \"x\"}").redeem("code", login),
                "no id_token");
    }

    @Test
    void a_discovery_document_for_another_issuer_is_refused() {
        discoveredIssuer = "https://elsewhere.example/idp";
        OidcProvider.LoginFailed e = assertThrows(OidcProvider.LoginFailed.class,
                () -> provider("{}").authorizationRequest(logins.start().orElseThrow()));
        assertTrue(e.getMessage().contains("names issuer"), e.getMessage());
    }

    @Test
    void a_state_works_once() {
        OidcLogins.Pending p = logins.start().orElseThrow();
        assertTrue(logins.finish(p.state()).isPresent());
        assertTrue(logins.finish(p.state()).isEmpty());
        assertTrue(logins.finish(null).isEmpty());
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
