package io.tessera.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * What a client's Subscription must be to be accepted (400 with TSR-0640 otherwise): criteria the endpoint's search
 * answers ({@link SubscriptionCriteria}), a {@code rest-hook} channel to an {@code https} endpoint (plain {@code http}
 * only to this machine, or everywhere when the site allows it for a lab), headers {@code Name: value}, and a payload
 * that is empty (a ping) or {@code application/fhir+json}. Also reads the R4 Subscriptions Backport's payload-content
 * extension ({@code id-only} or {@code full-resource}).
 */
final class SubscriptionRules {
    static final String PAYLOAD_CONTENT =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content";
    static final String FHIR_JSON = "application/fhir+json";

    /** How much of the resource a notification carries. */
    enum Content { EMPTY, ID_ONLY, FULL_RESOURCE }

    private SubscriptionRules() {}

    /** Checks {@code s}; returns the criteria's resource type. */
    static String check(Subscription s, boolean allowPlainHttp) {
        String type = SubscriptionCriteria.check(s.getCriteria());
        Subscription.SubscriptionChannelComponent ch = s.getChannel();
        if (ch.getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            throw refused("channel.type must be rest-hook (the only channel this server sends)");
        }
        endpoint(ch.getEndpoint(), allowPlainHttp);
        for (StringType h : ch.getHeader()) header(h.getValue());
        content(s);
        return type;
    }

    static Content content(Subscription s) {
        Subscription.SubscriptionChannelComponent ch = s.getChannel();
        String payload = ch.getPayload();
        if (payload == null || payload.isBlank()) return Content.EMPTY;
        if (!payload.equalsIgnoreCase(FHIR_JSON)) {
            throw refused("channel.payload must be empty (a ping) or " + FHIR_JSON);
        }
        Extension ext = ch.getPayloadElement().getExtensionByUrl(PAYLOAD_CONTENT);
        String code = ext == null ? "full-resource" : ext.getValue().primitiveValue();
        return switch (String.valueOf(code)) {
            case "empty" -> Content.EMPTY;
            case "id-only" -> Content.ID_ONLY;
            case "full-resource" -> Content.FULL_RESOURCE;
            default -> throw refused("backport-payload-content must be empty, id-only or full-resource");
        };
    }

    private static void endpoint(String endpoint, boolean allowPlainHttp) {
        URI uri;
        try {
            uri = URI.create(endpoint == null ? "" : endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw refused("channel.endpoint is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw refused("channel.endpoint must be an absolute https URL");
        }
        if (scheme.equals("http") && !allowPlainHttp && !loopback(uri.getHost())) {
            throw refused("channel.endpoint must use https (plain http only to this machine: 127.0.0.1, localhost, ::1)");
        }
    }

    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** {@code Name: value}; the value is checked but never put in a message (it is usually a credential). */
    static String[] header(String header) {
        int colon = header == null ? -1 : header.indexOf(':');
        if (colon <= 0) throw refused("channel.header must be 'Name: value'");
        String name = header.substring(0, colon).trim();
        String value = header.substring(colon + 1).trim();
        try {
            HttpRequest.newBuilder(URI.create("https://check.invalid/")).header(name, value);
        } catch (IllegalArgumentException e) {
            throw refused("channel.header '" + name + "' is not a header this server may send");
        }
        return new String[] {name, value};
    }

    static InvalidRequestException refused(String why) {
        return new InvalidRequestException("TSR-0640: Subscription not accepted: " + why);
    }
}
