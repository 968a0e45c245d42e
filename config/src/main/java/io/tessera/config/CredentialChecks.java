package io.tessera.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks that credentials never travel in clear text: a FHIR destination with {@code auth} must use an {@code https}
 * base URL, and a {@code smart-backend} token endpoint must be {@code https} too, unless the host is loopback (a
 * local proxy or a test). A bearer token or a client assertion seen on the wire is as good as the key. Also reports
 * an {@code indexUser} that would be ignored. Each problem names its key path.
 */
final class CredentialChecks {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private CredentialChecks() {}

    static List<String> problems(TesseraConfig config) {
        List<String> problems = new ArrayList<>();
        List<DestinationConfig> destinations = config.destinations() == null ? List.of() : config.destinations();
        for (int i = 0; i < destinations.size(); i++) {
            DestinationConfig d = destinations.get(i);
            if (d == null || d.auth() == null || d.auth().type() == null || !"fhir".equals(d.type())) continue;
            String at = "destinations[" + i + "]";
            if (clearTextToRemote(d.url())) {
                problems.add(at + ".url: TSR-0070: " + d.auth().type() + " credentials would be sent in clear text to "
                        + d.url() + "; use https:// (plain http only to a loopback host)");
            }
            if ("smart-backend".equals(d.auth().type()) && clearTextToRemote(d.auth().tokenEndpoint())) {
                problems.add(at + ".auth.tokenEndpoint: TSR-0071: the client assertion and access token would travel in clear text to "
                        + d.auth().tokenEndpoint() + "; use https:// (plain http only to a loopback host)");
            }
        }
        StorageConfig storage = config.storage();
        if (storage != null && storage.embeddedIndex() && !storage.indexUser().isBlank()) {
            problems.add("storage.indexUser: TSR-0072: applies only with storage.indexUrl (the embedded index's user is always sa);"
                    + " remove it or set indexUrl");
        }
        return problems;
    }

    /** True for an {@code http://} URL whose host is not loopback; other schemes are left to the shape checks. */
    static boolean clearTextToRemote(String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("http://")) return false;
        try {
            String host = URI.create(url.trim()).getHost();
            return host == null || !LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
