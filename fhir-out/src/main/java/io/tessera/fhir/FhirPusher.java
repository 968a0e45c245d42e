package io.tessera.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Pushes a {@link FhirTransaction} Bundle to an external FHIR R4 server ({@code POST [base]}). Uses the JDK HTTP
 * client rather than HAPI's generic client because timeouts are per destination here, and HAPI's are set on the
 * JVM-wide {@link FhirContexts#r4() FhirContext}'s client factory; HAPI still parses the answers. Auth is a bearer
 * token or basic credentials ({@link Auth}) or an OAuth client's access token ({@link SmartBackendClient}) in the
 * Authorization header. A 401 to a renewable token is answered by asking for a fresh one and sending once more; a
 * second 401 is a {@link PushException} with status 401 (TSR-0634).
 *
 * <p>Outcomes: a 2xx transaction-response whose entries all answer 2xx returns normally; otherwise a
 * {@link PushException} with the HTTP status (or {@link PushException#NO_STATUS} for an I/O failure: connection
 * refused, reset, timeout) and the server's OperationOutcome diagnostics as the reason. Whether to retry is the
 * caller's policy.
 */
public final class FhirPusher {
    private static final String FHIR_JSON = "application/fhir+json";
    private final HttpClient http;

    public FhirPusher() {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Credentials for the Authorization header: {@code bearer} with a token, or {@code basic} with user and password. */
    public record Auth(String type, String token, String username, String password) implements FhirCredentials {
        @Override
        public String header(Duration timeout) {
            return header();
        }

        String header() {
            if ("bearer".equals(type)) return "Bearer " + token;
            String pair = username + ":" + (password == null ? "" : password);
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Auth[" + type + "]";
        }
    }

    /** A push that did not store the whole transaction. */
    public static final class PushException extends Exception {
        public static final int NO_STATUS = -1;
        private final int status;

        public PushException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status, or {@link #NO_STATUS} when no response came. */
        public int status() {
            return status;
        }
    }

    /** POSTs {@code bundleJson} (a transaction) to {@code baseUrl}; {@code auth} may be null. */
    public void push(String baseUrl, FhirCredentials auth, Duration timeout, String bundleJson) throws PushException {
        String header = auth == null ? null : auth.header(timeout);
        HttpResponse<String> response = post(baseUrl, header, timeout, bundleJson);
        if (response.statusCode() == 401 && auth != null && auth.renewable()) {
            auth.rejected(header); // expired early or revoked: one more try with a fresh token
            response = post(baseUrl, auth.header(timeout), timeout, bundleJson);
            if (response.statusCode() == 401) {
                throw new PushException(401, "TSR-0634: FHIR server " + baseUrl + " refused a freshly issued access token too"
                        + " (HTTP 401 twice): " + outcome(response.body()) + "; check the client's scopes and its registration"
                        + " with that server", null);
            }
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new PushException(status, "TSR-0621: FHIR server " + baseUrl + " answered HTTP " + status + ": "
                    + outcome(response.body()), null);
        }
        List<String> refused = refusedEntries(response.body());
        if (!refused.isEmpty()) {
            // a transaction is all or nothing, so this should not happen; report the first entry's own status
            String first = refused.get(0).trim();
            int entryStatus = first.matches("\\d{3}.*") ? Integer.parseInt(first.substring(0, 3)) : PushException.NO_STATUS;
            throw new PushException(entryStatus, "TSR-0622: FHIR server " + baseUrl + " refused " + refused.size()
                    + " entr(ies) of the transaction: " + refused, null);
        }
    }

    private HttpResponse<String> post(String baseUrl, String authorization, Duration timeout, String bundleJson) throws PushException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl))
                .timeout(timeout)
                .header("Content-Type", FHIR_JSON + "; charset=UTF-8")
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(bundleJson, StandardCharsets.UTF_8));
        if (authorization != null) request.header("Authorization", authorization);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PushException(PushException.NO_STATUS, "TSR-0620: no answer from FHIR server " + baseUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushException(PushException.NO_STATUS, "TSR-0620: interrupted while pushing to " + baseUrl, e);
        }
    }

    /** The OperationOutcome's diagnostics (or the start of the body when it is not one). */
    static String outcome(String body) {
        try {
            IBaseResource r = FhirContexts.r4().newJsonParser().parseResource(body);
            if (r instanceof OperationOutcome oo) {
                List<String> issues = new ArrayList<>();
                for (OperationOutcome.OperationOutcomeIssueComponent i : oo.getIssue()) {
                    issues.add(i.getSeverity() + " " + i.getCode() + ": "
                            + (i.hasDiagnostics() ? i.getDiagnostics() : i.getDetails().getText()));
                }
                return "OperationOutcome " + issues;
            }
        } catch (DataFormatException | IllegalArgumentException | ClassCastException notFhir) {
            // fall through: show the text
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Entries of a transaction-response whose status is not 2xx. */
    private static List<String> refusedEntries(String body) throws PushException {
        Bundle b;
        try {
            b = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, body);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new PushException(PushException.NO_STATUS, "TSR-0623: FHIR server answered 2xx without a "
                    + "transaction-response Bundle: " + e.getMessage(), e);
        }
        List<String> refused = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            String s = e.getResponse().getStatus();
            if (s == null || !s.trim().startsWith("2")) refused.add(s + " " + e.getResponse().getLocation());
        }
        return refused;
    }
}
