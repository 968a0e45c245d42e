package io.tessera.app;

import io.tessera.config.ConfigLoader;
import io.tessera.config.TesseraConfig;
import io.tessera.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that writes an integration test's {@code tessera.yaml}: DICOM and HTTP on loopback ports from
 * {@link FreePorts}, storage in {@code WORK/var}, a 1 s quiet period, the repository's models; destinations, routes and
 * other sections as the test names them (YAML flow mappings, as the configuration reference writes them). The server
 * starts in this JVM ({@link #start()}) or as a separate process ({@link #startProcess(Path)}).
 */
final class ServerConfig {
    static final String CT_ORGANS = "ct-phantom-organs";

    private Path file;
    private int dicomPort = FreePorts.next();
    private int httpPort = FreePorts.next();
    private Path storage;
    private final List<Path> extraModels = new java.util.ArrayList<>();
    private String indexUrl;
    private Path sharedDir;
    private String completion = "quietPeriod: 1s";
    private String http = "";
    private final List<String> sections = new ArrayList<>();
    private final List<String> destinations = new ArrayList<>();
    private final List<String> routes = new ArrayList<>();

    private ServerConfig(Path file, Path storage) {
        this.file = file;
        this.storage = storage;
    }

    /** {@code WORK/tessera.yaml}, storage in {@code WORK/var}. */
    static ServerConfig in(Path work) {
        return new ServerConfig(work.resolve("tessera.yaml"), work.resolve("var"));
    }

    ServerConfig file(Path yaml) {
        this.file = yaml;
        return this;
    }

    ServerConfig storage(Path dir) {
        this.storage = dir;
        return this;
    }

    /** The index database's JDBC URL ({@code storage.indexUrl}), e.g. a PostgreSQL server's; default: embedded H2. */
    ServerConfig indexUrl(String url) {
        this.indexUrl = url;
        return this;
    }

    /** The folder every node of a cluster mounts ({@code storage.sharedDir}). */
    ServerConfig sharedDir(Path dir) {
        this.sharedDir = dir;
        return this;
    }

    ServerConfig dicomPort(int port) {
        this.dicomPort = port;
        return this;
    }

    ServerConfig httpPort(int port) {
        this.httpPort = port;
        return this;
    }

    /** Further members of the {@code http} mapping, e.g. {@code corsOrigins: ['https://viewer.example.org']}. */
    ServerConfig http(String members) {
        this.http = members;
        return this;
    }

    ServerConfig quietPeriod(String duration) {
        return completion("quietPeriod: " + duration);
    }

    /** The members of the {@code completion} mapping; {@code null}: no completion section (the server's defaults). */
    ServerConfig completion(String members) {
        this.completion = members;
        return this;
    }

    /** Another top-level section, one line, e.g. {@code delivery: { maxAttempts: 2 }}; written after {@code models}. */
    ServerConfig section(String line) {
        sections.add(line);
        return this;
    }

    /** A further folder of model packages beside the repository's (e.g. one a test packaged at run time). */
    ServerConfig models(Path dir) {
        extraModels.add(dir.toAbsolutePath());
        return this;
    }

    /** A destination's members, e.g. {@code name: ehr, type: fhir, url: 'http://…'}. */
    ServerConfig destination(String members) {
        destinations.add(members);
        return this;
    }

    ServerConfig folder(String name, Path path) {
        return destination("name: " + name + ", type: folder, path: " + path);
    }

    /** A DICOM destination on loopback; {@code more}: further members, e.g. {@code timeout: 10m}. */
    ServerConfig dicom(String name, String aeTitle, int port, String... more) {
        StringBuilder d = new StringBuilder("name: " + name + ", type: dicom, aeTitle: " + aeTitle + ", host: 127.0.0.1, port: " + port);
        for (String m : more) d.append(", ").append(m);
        return destination(d.toString());
    }

    /** A route's members, e.g. {@code name: archive, models: [], destinations: [archive]}. */
    ServerConfig route(String members) {
        routes.add(members);
        return this;
    }

    /** The usual rule: CT studies through {@code model} to {@code to}. */
    ServerConfig ctRoute(String model, String... to) {
        return route("name: ct-organs, match: { modality: CT }, models: [" + model + "], destinations: [" + String.join(", ", to) + "]");
    }

    int dicomPort() {
        return dicomPort;
    }

    int httpPort() {
        return httpPort;
    }

    Path file() {
        return file;
    }

    String yaml() {
        StringBuilder y = new StringBuilder()
                .append("dicom: { aeTitle: TESSERA, bindAddress: 127.0.0.1, port: ").append(dicomPort).append(" }\n")
                .append("storage: { dir: ").append(storage)
                .append(indexUrl == null ? "" : ", indexUrl: '" + indexUrl + "'")
                .append(sharedDir == null ? "" : ", sharedDir: " + sharedDir).append(" }\n");
        if (completion != null) y.append("completion: { ").append(completion).append(" }\n");
        y.append("http: { bindAddress: 127.0.0.1, port: ").append(httpPort).append(http.isEmpty() ? "" : ", " + http).append(" }\n")
                .append("models: { dirs: [").append(Path.of("../models").toAbsolutePath());
        extraModels.forEach(d -> y.append(", ").append(d));
        y.append("] }\n");
        sections.forEach(s -> y.append(s).append('\n'));
        if (!destinations.isEmpty()) y.append("destinations:\n");
        destinations.forEach(d -> y.append("  - { ").append(d).append(" }\n"));
        if (!routes.isEmpty()) y.append("routes:\n");
        routes.forEach(r -> y.append("  - { ").append(r).append(" }\n"));
        return y.toString();
    }

    /** Writes the file and returns its path. */
    Path write() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, yaml());
        return file;
    }

    /** Writes the file and loads it as the server does. */
    TesseraConfig load() throws Exception {
        return new ConfigLoader().load(write(), Map.of(), List.of());
    }

    /** Tessera in this JVM, on this configuration. */
    TesseraServer start() throws Exception {
        return TesseraServer.start(load());
    }

    /** Tessera as a separate JVM on this configuration, healthy when this returns; output appended to {@code log}. */
    ServerProcess startProcess(Path log) throws Exception {
        return ServerProcess.start(write(), httpPort, log);
    }

    /** Stops what a test started, in the order given; a server or peer that never started ({@code null}) is skipped. */
    static void stop(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) c.close();
        }
    }
}
