package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.TesseraConfig;
import java.util.List;
import java.util.ArrayList;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tessera replay ID | --destination NAME [--url URL] [--token TOKEN] [--config FILE] [--key=value ...]}: asks the
 * running server to send parked outbox entries again ({@code POST /api/outbox/...}). The URL defaults to the
 * configuration's {@code http} section (HTTPS when {@code http.tls} is on; the JDK's trust store, or the one named by
 * {@code -Djavax.net.ssl.trustStore}, checks the server's certificate).
 */
@Command(name = "replay", description = "Ask the running server to send parked outbox entries again.")
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "ID", description = "The outbox entry to send again.")
    String id;

    @Option(names = "--destination", paramLabel = "NAME", description = "Send every parked entry for this destination again.")
    String destination;

    @Option(names = "--url", paramLabel = "URL", description = "The server's HTTP address (default: from the configuration's http section).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:TESSERA_TOKEN}",
            description = "A bearer token with the scope tessera/admin (default: the TESSERA_TOKEN environment variable); "
                    + "needed when the server checks tokens.")
    String token;

    @Mixin Main.ConfigOptions options;
    @Unmatched List<String> overrides = new ArrayList<>(); // the --key=value overrides, see ConfigOptions

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((id == null) == (destination == null)) {
            throw new ParameterException(spec.commandLine(), "Give either an outbox entry ID or --destination NAME");
        }
        if (id != null && !id.matches("\\d{1,18}")) throw new ParameterException(spec.commandLine(), id + ": not an outbox entry ID");
        String url = this.url;
        if (url == null) {
            TesseraConfig config;
            try {
                config = options.load(overrides);
            } catch (ConfigException e) {
                Main.printViolations(e);
                return 1;
            }
            url = (config.http().tls().enabled() ? "https://" : "http://") + config.http().bindAddress() + ":" + config.http().port();
        }
        String path = id != null ? "/api/outbox/" + id + "/replay"
                : "/api/outbox/replay?destination=" + URLEncoder.encode(destination, StandardCharsets.UTF_8);
        HttpResponse<String> r;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
            if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token.trim());
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("TSR-0717: cannot reach the Tessera server at " + url + ": " + e);
            return 1;
        }
        (r.statusCode() == 200 ? System.out : System.err).println(r.body());
        return r.statusCode() == 200 ? 0 : 1;
    }
}
