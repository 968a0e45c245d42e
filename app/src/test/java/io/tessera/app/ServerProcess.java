package io.tessera.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tessera as a separate JVM ({@code Main serve --config FILE}) on this test's class path, so a test can kill it with
 * SIGKILL ({@link Process#destroyForcibly()} on Linux) and start it again on the same storage. Output goes to a log file.
 */
final class ServerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final String baseUrl;
    final Path log;

    private ServerProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static ServerProcess start(Path config, int httpPort, Path log) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A JVM crash report (hs_err) goes beside the log, where a test can look for it.
        Process p = new ProcessBuilder(java, "-Xmx1g", "-Xss8m",
                "-XX:ErrorFile=" + log.toAbsolutePath().getParent().resolve("hs_err_pid%p.log"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServerProcess s = new ServerProcess(p, "http://127.0.0.1:" + httpPort, log);
        s.awaitHealthy(Duration.ofSeconds(90));
        return s;
    }

    long pid() {
        return process.pid();
    }

    private void awaitHealthy(Duration timeout) {
        try {
            Awaits.within(timeout, Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + tail());
                try {
                    return get("/health").path("status").asText().equals("UP");
                } catch (IOException notYet) {
                    return false; // not listening yet
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("server not healthy within " + timeout + ":\n" + tail());
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(path + " -> " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** This study's entry in {@code /api/studies}, or a missing node. */
    JsonNode study(String studyUid) throws IOException, InterruptedException {
        for (JsonNode s : get("/api/studies").path("studies")) {
            if (s.path("studyInstanceUid").asText().equals(studyUid)) return s;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    // -Xss8m: ONNX Runtime session creation overflows the default 1 MiB main-thread stack (SIGSEGV, no hs_err)
    /** SIGKILL: no shutdown hooks, no flushing — the crash the spool and index must survive. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("pid " + pid() + " survived SIGKILL");
    }

    /** SIGTERM ({@link Process#destroy()} on Linux), as an orchestrator stops a service; returns the exit code. */
    int sigterm(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("pid " + pid() + " still running " + timeout + " after SIGTERM:\n" + tail());
        }
        return process.exitValue();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}
