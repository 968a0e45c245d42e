package io.tessera.fhir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Sends one R4 rest-hook notification. Payload empty: {@code POST endpoint} with no body (a ping: the receiver then
 * searches). {@code application/fhir+json}, full resource: {@code PUT endpoint/Type/id} with the resource version, as
 * R4 says. {@code id-only} (Backport payload content): {@code POST endpoint} with a {@code history} Bundle whose one
 * entry names the version ({@code request PUT Type/id}, {@code response etag}) and carries no resource. Every channel
 * header goes on the request; none is ever put in a message or log. Any 2xx is delivered.
 */
final class RestHook {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    void send(Subscription s, String focus, Supplier<Optional<Resource>> resource) throws NotifyException {
        String endpoint = s.getChannel().getEndpoint();
        String typeAndId = focus.substring(0, focus.indexOf("/_history/"));
        HttpRequest.Builder req;
        switch (SubscriptionRules.content(s)) {
            case FULL_RESOURCE -> {
                Resource r = resource.get().orElseThrow(() -> new IllegalStateException(focus + " is not stored"));
                req = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/" + typeAndId))
                        .header("Content-Type", SubscriptionRules.FHIR_JSON).PUT(body(FhirContexts.r4().newJsonParser().encodeResourceToString(r)));
            }
            case ID_ONLY -> {
                Bundle b = new Bundle().setType(Bundle.BundleType.HISTORY);
                Bundle.BundleEntryComponent e = b.addEntry();
                e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(typeAndId);
                e.getResponse().setStatus("200").setEtag("W/\"" + focus.substring(focus.lastIndexOf('/') + 1) + "\"");
                req = HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", SubscriptionRules.FHIR_JSON)
                        .POST(body(FhirContexts.r4().newJsonParser().encodeResourceToString(b)));
            }
            default -> req = HttpRequest.newBuilder(URI.create(endpoint)).POST(HttpRequest.BodyPublishers.noBody());
        }
        req.timeout(TIMEOUT);
        for (StringType h : s.getChannel().getHeader()) {
            String[] nv = SubscriptionRules.header(h.getValue());
            req.header(nv[0], nv[1]);
        }
        int status;
        try {
            status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new NotifyException("TSR-0641: no answer from the rest-hook endpoint of Subscription " + s.getIdPart()
                    + " (" + host(endpoint) + "): " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotifyException("TSR-0641: notification to Subscription " + s.getIdPart() + " interrupted", 0, e);
        }
        if (status < 200 || status >= 300) {
            throw new NotifyException("TSR-0642: the rest-hook endpoint of Subscription " + s.getIdPart() + " ("
                    + host(endpoint) + ") answered HTTP " + status, status, null);
        }
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    /** Only scheme, host and port: a URL's path or query may hold a token. */
    private static String host(String endpoint) {
        URI u = URI.create(endpoint);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
