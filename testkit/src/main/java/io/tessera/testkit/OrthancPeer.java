package io.tessera.testkit;

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
 * A real Orthanc (Debian package) for integration tests: own storage folder, free DICOM and HTTP ports on loopback,
 * no authentication; started and stopped (by PID) by the test. Orthanc cannot bind one address only, hence free ports.
 */
public final class OrthancPeer implements AutoCloseable {
    public static final String AE_TITLE = "ORTHANC";
    private final Process process;
    private final int dicomPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancPeer(Process process, int dicomPort, int httpPort) {
        this.process = process;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
    }

    /** Starts Orthanc; {@code modalities} is the JSON of its DicomModalities (e.g. {@code "tessera": ["TESSERA","127.0.0.1",11112]}). */
    public static OrthancPeer start(Path workDir, String modalitiesJson) throws IOException, InterruptedException {
        return start(workDir, AE_TITLE, FreePorts.next(), false, "\"DicomModalities\": { " + (modalitiesJson == null ? "" : modalitiesJson) + " },");
    }

    /** As {@link #start(Path, String, int, boolean, String)} without further configuration. */
    public static OrthancPeer start(Path workDir, String aeTitle, int dicomPort, boolean checkCalledAe)
            throws IOException, InterruptedException {
        return start(workDir, aeTitle, dicomPort, checkCalledAe, "");
    }

    /**
     * Starts Orthanc under a given AE title on a given DICOM port (a destination that names them before the peer runs).
     * {@code checkCalledAe}: associations addressed to another AE title are rejected. {@code extraJson}: more
     * configuration members, each followed by a comma (e.g. {@code "MaximumPatientCount": 1,}).
     */
    public static OrthancPeer start(Path workDir, String aeTitle, int dicomPort, boolean checkCalledAe, String extraJson)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir.resolve("storage"));
        int httpPort = FreePorts.next();
        String config = """
                {
                  %s
                  "Name": "tessera-it",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "DicomAet": "%s",
                  "DicomPort": %d,
                  "HttpPort": %d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "DicomCheckCalledAet": %s,
                  "DicomAlwaysAllowStore": true,
                  "DicomAlwaysAllowEcho": true,
                  "UnknownSopClassAccepted": true,
                  "Plugins": []
                }
                """.formatted(extraJson == null ? "" : extraJson, workDir.resolve("storage"), workDir.resolve("storage"),
                aeTitle, dicomPort, httpPort, checkCalledAe);
        Path configFile = workDir.resolve("orthanc.json");
        Files.writeString(configFile, config);
        Process p = new ProcessBuilder("Orthanc", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("orthanc.log").toFile())
                .start();
        OrthancPeer peer = new OrthancPeer(p, dicomPort, httpPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("Orthanc exited at start; see " + workDir.resolve("orthanc.log"));
            try {
                if (peer.get("/system").statusCode() == 200) return peer;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        peer.close();
        throw new IOException("Orthanc did not answer within 30 s");
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public byte[] getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /**
     * Orthanc closes idle keep-alive connections; a request that races that close fails with "received no bytes" before
     * Orthanc saw it. The requests used here are queries or idempotent (PUT of a flag), so they are simply sent again.
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Orthanc's expanded study entries (JSON array) with this StudyInstanceUID. */
    public String findStudy(String studyInstanceUid) throws IOException, InterruptedException {
        return post("/tools/find", "{\"Level\":\"Study\",\"Expand\":true,\"Query\":{\"StudyInstanceUID\":\"" + studyInstanceUid + "\"}}").body();
    }

    public String findSeries(String studyInstanceUid, String modality) throws IOException, InterruptedException {
        return post("/tools/find", "{\"Level\":\"Series\",\"Expand\":true,\"Query\":{\"StudyInstanceUID\":\"" + studyInstanceUid
                + "\",\"Modality\":\"" + modality + "\"}}").body();
    }


    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
