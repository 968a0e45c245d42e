package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.TesseraConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tessera replay ID | --destination NAME [--url URL] [--config FILE] [--key=value ...]}: asks the running
 * server to send parked outbox entries again ({@code POST /api/outbox/...}). The URL defaults to the configuration's
 * {@code http} section.
 */
final class ReplayCommand {
    private ReplayCommand() {}

    static int run(List<String> args) throws Exception {
        String id = null;
        String destination = null;
        String url = null;
        List<String> configArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--destination") && i + 1 < args.size()) destination = args.get(++i);
            else if (a.startsWith("--destination=")) destination = a.substring("--destination=".length());
            else if (a.equals("--url") && i + 1 < args.size()) url = args.get(++i);
            else if (a.startsWith("--url=")) url = a.substring("--url=".length());
            else if (a.equals("--config") && i + 1 < args.size()) {
                configArgs.add(a);
                configArgs.add(args.get(++i));
            } else if (a.startsWith("--")) configArgs.add(a);
            else if (id == null && a.matches("\\d{1,18}")) id = a;
            else return usage();
        }
        if ((id == null) == (destination == null)) return usage();
        if (url == null) {
            TesseraConfig config;
            try {
                config = Main.load(configArgs);
            } catch (ConfigException e) {
                System.err.println("configuration is invalid:");
                e.violations().forEach(v -> System.err.println("  " + v));
                return 1;
            }
            url = "http://" + config.http().bindAddress() + ":" + config.http().port();
        }
        String path = id != null ? "/api/outbox/" + id + "/replay"
                : "/api/outbox/replay?destination=" + URLEncoder.encode(destination, StandardCharsets.UTF_8);
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path)).timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("TSR-0717: cannot reach the Tessera server at " + url + ": " + e);
            return 1;
        }
        (r.statusCode() == 200 ? System.out : System.err).println(r.body());
        return r.statusCode() == 200 ? 0 : 1;
    }

    private static int usage() {
        System.err.println("usage: tessera replay ID | --destination NAME [--url URL] [--config FILE]");
        return 2;
    }
}
