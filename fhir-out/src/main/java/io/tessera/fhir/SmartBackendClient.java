package io.tessera.fhir;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 client credentials as SMART Backend Services define them: a signed {@link ClientAssertion} is exchanged at
 * the token endpoint for an access token with the configured scope. The token is kept and handed out until 30 s before
 * it expires, then renewed, so pushes do not each cost a token request and none goes out with a token about to lapse;
 * a token the FHIR server refuses (401) is dropped and the next {@link #header} gets a new one.
 *
 * <p>Neither the assertion nor the token is ever logged or put in an error message; errors carry the token endpoint,
 * the HTTP status and the OAuth {@code error} / {@code error_description} only.
 */
public final class SmartBackendClient implements FhirCredentials {
    private static final Logger log = LoggerFactory.getLogger(SmartBackendClient.class);
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(30);
    /** When the server leaves {@code expires_in} out: SMART's access tokens live five minutes or so. */
    private static final long DEFAULT_EXPIRES_IN_S = 300;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String scope;
    private final ClientAssertion assertion;
    private final Clock clock;
    private final HttpClient http;
    private String token;
    private Instant renewAt = Instant.MIN;

    /** Reads the key at once, so a missing or unusable key stops the start (TSR-0633). */
    public SmartBackendClient(String tokenEndpoint, String clientId, Path privateKeyFile, String keyId, String scope, Clock clock) {
        this.tokenEndpoint = URI.create(tokenEndpoint);
        this.clientId = clientId;
        this.scope = scope;
        this.assertion = new ClientAssertion(clientId, tokenEndpoint, PemPrivateKey.read(privateKeyFile), keyId);
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public synchronized String header(Duration timeout) throws FhirPusher.PushException {
        if (token == null || !clock.instant().isBefore(renewAt)) fetch(timeout);
        return "Bearer " + token;
    }

    @Override
    public boolean renewable() {
        return true;
    }

    @Override
    public synchronized void rejected(String header) {
        if (token != null && header != null && header.equals("Bearer " + token)) token = null;
    }

    private void fetch(Duration timeout) throws FhirPusher.PushException {
        Instant now = clock.instant();
        String form;
        try {
            form = "grant_type=client_credentials"
                    + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                    + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                    + "&client_assertion=" + URLEncoder.encode(assertion.sign(now), StandardCharsets.UTF_8);
        } catch (JOSEException e) {
            throw new FhirPusher.PushException(FhirPusher.PushException.NO_STATUS, "TSR-0635: cannot sign the client assertion for "
                    + clientId + ": " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.US_ASCII)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FhirPusher.PushException(FhirPusher.PushException.NO_STATUS, "TSR-0630: no answer from the token endpoint "
                    + tokenEndpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirPusher.PushException(FhirPusher.PushException.NO_STATUS, "TSR-0630: interrupted asking " + tokenEndpoint
                    + " for an access token", e);
        }
        Map<String, Object> body = json(response.body());
        if (response.statusCode() != 200) {
            throw new FhirPusher.PushException(response.statusCode(), "TSR-0631: the token endpoint " + tokenEndpoint
                    + " refused client " + clientId + " (HTTP " + response.statusCode() + oauthError(body)
                    + "); check the client's registration, its public key (kid) and the scope '" + scope + "'", null);
        }
        Object accessToken = body.get("access_token");
        if (!(accessToken instanceof String t) || t.isBlank()) {
            throw new FhirPusher.PushException(FhirPusher.PushException.NO_STATUS, "TSR-0632: the token endpoint " + tokenEndpoint
                    + " answered 200 without an access_token", null);
        }
        long expiresIn = body.get("expires_in") instanceof Number n ? n.longValue() : DEFAULT_EXPIRES_IN_S;
        token = t;
        renewAt = now.plusSeconds(expiresIn).minus(RENEW_BEFORE_EXPIRY);
        log.info("access token for FHIR client {} from {}: valid {} s, renewed {} s before it expires", clientId, tokenEndpoint,
                expiresIn, RENEW_BEFORE_EXPIRY.toSeconds());
    }

    private static Map<String, Object> json(String body) {
        try {
            return JSONObjectUtils.parse(body == null ? "" : body);
        } catch (ParseException e) {
            return Map.of();
        }
    }

    /** The OAuth error fields (RFC 6749 5.2), which name the problem without echoing anything secret. */
    private static String oauthError(Map<String, Object> body) {
        Object error = body.get("error");
        Object description = body.get("error_description");
        return (error == null ? "" : ", error " + error) + (description == null ? "" : ": " + description);
    }

    @Override
    public String toString() {
        return "SmartBackendClient[" + clientId + " at " + tokenEndpoint + ", scope " + scope + "]";
    }
}
