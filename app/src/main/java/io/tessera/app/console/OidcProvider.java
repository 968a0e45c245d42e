package io.tessera.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tessera.config.OidcLoginConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The console's OpenID Connect provider: its endpoints from {@code /.well-known/openid-configuration} (read at the
 * first login, read again after a failure), the authorisation request, the code exchange and the ID token check
 * (signature by a key of the provider's JWK Set, {@code iss} the configured issuer, {@code aud} the client id,
 * {@code exp} and {@code iat} present and current, {@code nonce} the one sent). Uses nimbus-jose-jwt as the API's
 * bearer-token check does; nothing here logs a token.
 */
final class OidcProvider {
    /** A login that cannot go on, with the reason to log (never a token or a claim value). */
    static final class LoginFailed extends Exception {
        LoginFailed(String reason) {
            super(reason);
        }
    }

    /** Who logged in: a display name and the Tessera scopes the ID token grants. */
    record Identity(String user, Set<String> scopes) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OidcLoginConfig config;
    private final HttpClient http;
    private volatile Endpoints endpoints;

    private record Endpoints(String authorization, String token, DefaultJWTProcessor<SecurityContext> idTokens) {}

    OidcProvider(OidcLoginConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String displayName() {
        return config.displayName();
    }

    /** Where to send the browser: the provider's authorisation endpoint with this login's state, nonce and challenge. */
    URI authorizationRequest(OidcLogins.Pending login) throws LoginFailed {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", config.clientId());
        q.put("redirect_uri", config.redirectUri());
        q.put("scope", String.join(" ", config.scopes()));
        q.put("state", login.state());
        q.put("nonce", login.nonce());
        q.put("code_challenge", login.challenge());
        q.put("code_challenge_method", "S256");
        String base = endpoints().authorization();
        return URI.create(base + (base.contains("?") ? "&" : "?") + form(q));
    }

    /** Exchanges the code (with the PKCE verifier) for tokens and checks the ID token; the identity it proves. */
    Identity redeem(String code, OidcLogins.Pending login) throws LoginFailed {
        Endpoints e = endpoints();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", config.redirectUri());
        body.put("code_verifier", login.verifier());
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(e.token())).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (config.clientSecret().isEmpty()) {
            body.put("client_id", config.clientId());   // a public client: PKCE is its proof
        } else {
            String basic = url(config.clientId()) + ":" + url(config.clientSecret());
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode tokens;
        try {
            HttpResponse<String> resp = http.send(req.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            tokens = JSON.readTree(resp.body());
            if (resp.statusCode() != 200) {
                throw new LoginFailed("the token endpoint answered " + resp.statusCode() + " "
                        + tokens.path("error").asText("") + " " + tokens.path("error_description").asText(""));
            }
        } catch (IOException ex) {
            throw new LoginFailed("the token endpoint could not be reached: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LoginFailed("interrupted");
        }
        String idToken = tokens.path("id_token").asText("");
        if (idToken.isEmpty()) throw new LoginFailed("the token response has no id_token (is 'openid' among the scopes?)");
        JWTClaimsSet claims;
        try {
            claims = e.idTokens().process(idToken, null);
        } catch (java.text.ParseException ex) {
            throw new LoginFailed("the ID token is not a JWT");
        } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException ex) {
            throw new LoginFailed("the ID token was refused: " + ex.getMessage());
        }
        Object nonce = claims.getClaim("nonce");
        if (!ConsoleSessions.sameToken(nonce instanceof String s ? s : null, login.nonce())) {
            throw new LoginFailed("the ID token's nonce is not the one this login sent (a replayed token?)");
        }
        return new Identity(userName(claims), scopes(claims));
    }

    private static String userName(JWTClaimsSet claims) {
        for (String c : List.of("preferred_username", "email", "name")) {
            Object v = claims.getClaim(c);
            if (v instanceof String s && !s.isBlank()) return s;
        }
        return claims.getSubject();
    }

    /** The scopes named in {@code scopeClaim} plus those {@code groupScopes} gives the groups in {@code groupsClaim}. */
    Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>(values(claims.getClaim(config.scopeClaim())));
        scopes.removeIf(s -> !s.startsWith("tessera/") && !s.startsWith("system/") && !s.startsWith("user/"));
        for (String group : values(claims.getClaim(config.groupsClaim()))) {
            scopes.addAll(config.groupScopes().getOrDefault(group, Set.of()));
        }
        return scopes;
    }

    private static List<String> values(Object claim) {
        if (claim instanceof String s) return List.of(s.trim().split("\\s+"));
        if (claim instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of();
    }

    private Endpoints endpoints() throws LoginFailed {
        Endpoints e = endpoints;
        if (e != null) return e;
        synchronized (this) {
            if (endpoints == null) endpoints = discover();
            return endpoints;
        }
    }

    private Endpoints discover() throws LoginFailed {
        String issuer = config.issuer();
        URI uri = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
        JsonNode doc;
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) throw new LoginFailed(uri + " answered " + resp.statusCode());
            doc = JSON.readTree(resp.body());
        } catch (IOException ex) {
            throw new LoginFailed(uri + " could not be read: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LoginFailed("interrupted");
        }
        // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer it was fetched for
        if (!issuer.equals(doc.path("issuer").asText())) {
            throw new LoginFailed("the provider's discovery document names issuer '" + doc.path("issuer").asText()
                    + "', not the configured " + issuer);
        }
        String auth = doc.path("authorization_endpoint").asText(""), token = doc.path("token_endpoint").asText(""),
                jwks = doc.path("jwks_uri").asText("");
        if (auth.isEmpty() || token.isEmpty() || jwks.isEmpty()) {
            throw new LoginFailed("the provider's discovery document lacks authorization_endpoint, token_endpoint or jwks_uri");
        }
        JsonNode methods = doc.path("code_challenge_methods_supported");
        if (methods.isArray() && methods.size() > 0 && !methods.toString().contains("\"S256\"")) {
            throw new LoginFailed("the provider does not offer PKCE with S256");
        }
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        Set<JWSAlgorithm> algorithms = config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        try {
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms,
                    JWKSourceBuilder.<SecurityContext>create(URI.create(jwks).toURL()).retrying(true).build()));
        } catch (java.net.MalformedURLException ex) {
            throw new LoginFailed("jwks_uri is not a URL: " + jwks);
        }
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(Set.of(config.clientId()),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat"), null);
        verifier.setMaxClockSkew(60);
        p.setJWTClaimsSetVerifier(verifier);
        return new Endpoints(auth, token, p);
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> url(e.getKey()) + "=" + url(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
