package io.tessera.app;

import io.tessera.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID Connect provider in a process of its own: NAV's mock-oauth2-server (discovery, JWKS, authorisation
 * code with PKCE checked, signed ID tokens carrying the nonce), its class path written by the {@code oidc-peer} module.
 * Interactive: its authorisation endpoint shows a form where the test types a user name and the claims that user's ID
 * token carries (groups, for instance), as a user would log in at the hospital's identity provider.
 */
final class OidcPeer implements AutoCloseable {
    private static final Path CLASSPATH = Path.of("..", "oidc-peer", "target", "classpath.txt");
    private final Process process;
    private final int port;

    private OidcPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static OidcPeer start(Path log) throws IOException, InterruptedException {
        if (!Files.isRegularFile(CLASSPATH)) {
            throw new IllegalStateException(CLASSPATH.toAbsolutePath() + " is missing: build the oidc-peer module first "
                    + "(mvn -pl app -am builds it)");
        }
        int port = FreePorts.next();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", Files.readString(CLASSPATH).trim(),
                "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SERVER_HOSTNAME", "127.0.0.1");
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().put("JSON_CONFIG", "{\"interactiveLogin\": true}");
        OidcPeer peer = new OidcPeer(pb.start(), port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant until = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(until)) {
            if (!peer.process.isAlive()) throw new IllegalStateException("the OpenID Connect provider exited: see " + log);
            try {
                int s = http.send(HttpRequest.newBuilder(URI.create(peer.issuer() + "/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (s == 200) return peer;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        peer.close();
        throw new IllegalStateException("the OpenID Connect provider did not answer within 90 s: see " + log);
    }

    /** The issuer Tessera is configured with (one of the provider's many: the path names it). */
    String issuer() {
        return "http://127.0.0.1:" + port + "/hospital";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
