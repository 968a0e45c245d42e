package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.config.ConfigLoader;
import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.routes.OutboxEntry;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox against a real Orthanc: a destination that is down for a while, and one that refuses permanently until
 * it is fixed. Orthanc is started here (not through OrthancPeer) because the test needs its DICOM port and AE title
 * fixed before it runs: Tessera's destination names them from the start.
 */
class OutboxIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path work;
    TesseraServer tessera;
    Orthanc orthanc;

    @AfterEach
    void stop() {
        if (tessera != null) tessera.close();
        if (orthanc != null) orthanc.close();
    }

    @Test
    void a_destination_down_for_a_while_gets_the_seg_once_when_it_comes_up() throws Exception {
        int pacsPort = FreePorts.next();
        String uid = sendStudy(pacsPort, 4501);
        JsonNode pending = awaitOutbox(a -> a.size() == 1 && a.get(0).path("attempts").asInt() >= 2, Duration.ofMinutes(2));
        assertEquals("PENDING", pending.get(0).path("state").asText(), pending.toString());
        assertTrue(pending.get(0).path("lastError").asText().contains("TSR-0702"), pending.toString());
        assertEquals(JobState.DELIVERING, tessera.index().study(uid).orElseThrow().state());

        orthanc = Orthanc.start(work.resolve("orthanc"), "ORTHANC", pacsPort, false);
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertTrue(done.stageMillis().containsKey("deliver"), done.stageMillis().toString());
        assertEquals(1, orthanc.segInstances(uid), "Orthanc holds the SEG once");
        assertEquals(0, JSON.readTree(get("/api/outbox")).size(), "nothing left in the outbox");
    }

    @Test
    void a_destination_refusing_permanently_parks_the_result_and_a_replay_after_the_fix_delivers_it_once() throws Exception {
        int pacsPort = FreePorts.next();
        orthanc = Orthanc.start(work.resolve("orthanc-wrong-ae"), "NOT_ORTHANC", pacsPort, true);
        String uid = sendStudy(pacsPort, 4502);
        StudyRecord parked = awaitFinal(uid);
        assertEquals(JobState.PARKED, parked.state());
        assertTrue(parked.failureReason().orElse("").contains("rejected-permanent"), parked.failureReason().orElse(""));
        JsonNode entries = JSON.readTree(get("/api/outbox"));
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("PARKED", entries.get(0).path("state").asText());
        assertEquals(1, entries.get(0).path("attempts").asInt(), "a permanent refusal is not retried");
        long id = entries.get(0).path("id").asLong();

        orthanc.close();
        orthanc = Orthanc.start(work.resolve("orthanc-fixed"), "ORTHANC", pacsPort, true);
        assertEquals(0, Main.run(new String[] {"replay", Long.toString(id), "--url", tessera.httpBaseUrl()}));
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, orthanc.segInstances(uid), "Orthanc holds the SEG once");
        assertEquals(OutboxEntry.State.SENT, tessera.outbox().store().get(id).orElseThrow().state());
        assertEquals(2, Main.run(new String[] {"replay"}), "replay without ID or destination is a usage error");
    }

    @Test
    void pending_entries_survive_a_restart_and_are_delivered_once_without_processing_the_study_again() throws Exception {
        int pacsPort = FreePorts.next();
        String uid = sendStudy(pacsPort, 4503);
        awaitOutbox(a -> a.size() == 1 && a.get(0).path("attempts").asInt() >= 1, Duration.ofMinutes(2));
        tessera.close();
        Path seg = Files.list(work.resolve("var/results").resolve(uid)).findFirst().orElseThrow();
        long segModified = Files.getLastModifiedTime(seg).toMillis();

        orthanc = Orthanc.start(work.resolve("orthanc"), "ORTHANC", pacsPort, false);
        tessera = TesseraServer.start(new ConfigLoader().load(work.resolve("tessera.yaml"), Map.of(), List.of()));
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, orthanc.segInstances(uid), "Orthanc holds the SEG once");
        assertEquals(segModified, Files.getLastModifiedTime(seg).toMillis(), "the SEG was not made again");
    }

    /**
     * A real retryable status: Orthanc limited to one patient whose only patient is protected cannot recycle and
     * answers C-STORE with A700 (Refused: Out of Resources). Tessera keeps the SEG pending and retries; once the
     * protection is lifted Orthanc recycles the old patient and stores the SEG — delivered once.
     */
    @Test
    void a_destination_answering_out_of_resources_is_retried_and_delivered_once_when_it_has_room() throws Exception {
        int pacsPort = FreePorts.next();
        orthanc = Orthanc.start(work.resolve("orthanc-full"), "ORTHANC", pacsPort, false, "\"MaximumPatientCount\": 1,");
        PhantomStudy other = PhantomStudy.write(PhantomSpec.small(4599), work.resolve("other"));
        ExternalTool.Result stored = ExternalTool.storescu("127.0.0.1", pacsPort, "STORESCU", "ORTHANC", other.files().subList(0, 1));
        assertEquals(0, stored.exitCode(), stored.output());
        String patient = JSON.readTree(orthanc.get("/patients").body()).get(0).asText();
        assertEquals(200, orthanc.put("/patients/" + patient + "/protected", "1").statusCode());

        String uid = sendStudy(pacsPort, 4504);
        JsonNode pending = awaitOutbox(a -> a.size() == 1 && a.get(0).path("attempts").asInt() >= 2, Duration.ofMinutes(2));
        assertEquals("PENDING", pending.get(0).path("state").asText(), pending.toString());
        String error = pending.get(0).path("lastError").asText();
        assertTrue(error.contains("status A700") && error.contains("[retryable]"), error);
        assertEquals(0, orthanc.segInstances(uid));

        assertEquals(200, orthanc.put("/patients/" + patient + "/protected", "0").statusCode());
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, orthanc.segInstances(uid), "Orthanc holds the SEG once");
        assertEquals(0, JSON.readTree(get("/api/outbox")).size(), "nothing left in the outbox");
    }

    private String sendStudy(int pacsPort, long seed) throws Exception {
        Path config = work.resolve("tessera.yaml");
        Files.writeString(config, """
                dicom: { aeTitle: TESSERA, bindAddress: 127.0.0.1, port: %d }
                storage: { dir: %s }
                completion: { quietPeriod: 500ms }
                http: { bindAddress: 127.0.0.1, port: %d }
                models: { dirs: [%s] }
                delivery: { initialBackoff: 100ms, maxBackoff: 1s, maxAttempts: 1000, breakerFailures: 3 }
                destinations:
                  - { name: pacs, type: dicom, aeTitle: ORTHANC, host: 127.0.0.1, port: %d }
                routes:
                  - { name: ct-organs, match: { modality: CT }, models: [ct-phantom-organs], destinations: [pacs] }
                """.formatted(FreePorts.next(), work.resolve("var"), FreePorts.next(), Path.of("../models").toAbsolutePath(),
                pacsPort));
        tessera = TesseraServer.start(new ConfigLoader().load(config, Map.of(), List.of()));
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(seed).withLesionCount(1), work.resolve("study"));
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        return study.study().studyInstanceUid();
    }

    private StudyRecord awaitFinal(String uid) throws InterruptedException {
        return tessera.awaitFinal(uid, Duration.ofMinutes(2));
    }

    private JsonNode awaitOutbox(Predicate<JsonNode> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = JSON.readTree(get("/api/outbox"));
            if (until.test(last)) return last;
            Thread.sleep(100);
        }
        return fail("outbox never matched; last: " + last);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** An Orthanc with a given DICOM port and AE title; {@code checkCalledAe}: associations to another AE are rejected. */
    static final class Orthanc implements AutoCloseable {
        final Process process;
        final int httpPort;

        private Orthanc(Process process, int httpPort) {
            this.process = process;
            this.httpPort = httpPort;
        }

        static Orthanc start(Path dir, String aeTitle, int dicomPort, boolean checkCalledAe) throws Exception {
            return start(dir, aeTitle, dicomPort, checkCalledAe, "");
        }

        /** {@code extraJson}: more configuration members, each followed by a comma. */
        static Orthanc start(Path dir, String aeTitle, int dicomPort, boolean checkCalledAe, String extraJson) throws Exception {
            Files.createDirectories(dir.resolve("storage"));
            int httpPort = FreePorts.next();
            Path cfg = dir.resolve("orthanc.json");
            Files.writeString(cfg, """
                    { %s "Name": "outbox-it", "StorageDirectory": "%s", "IndexDirectory": "%s", "DicomAet": "%s",
                      "DicomPort": %d, "HttpPort": %d, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
                      "DicomCheckCalledAet": %s, "DicomAlwaysAllowStore": true, "DicomAlwaysAllowEcho": true,
                      "UnknownSopClassAccepted": true, "Plugins": [] }
                    """.formatted(extraJson, dir.resolve("storage"), dir.resolve("storage"), aeTitle, dicomPort, httpPort, checkCalledAe));
            Process p = new ProcessBuilder("Orthanc", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("orthanc.log").toFile()).start();
            Orthanc o = new Orthanc(p, httpPort);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) throw new IOException("Orthanc exited at start; see " + dir.resolve("orthanc.log"));
                try {
                    if (o.post("/tools/find", "{\"Level\":\"Study\",\"Query\":{}}").statusCode() == 200) return o;
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            o.close();
            throw new IOException("Orthanc did not answer within 30 s");
        }

        /** Orthanc closes idle keep-alive connections after about a second, racing a pooled request: retried once. */
        HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
            try {
                return postOnce(path, body);
            } catch (IOException e) {
                return postOnce(path, body);
            }
        }

        /** As {@link #post}: retried once, Orthanc may have closed the pooled connection. */
        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            try {
                return getOnce(path);
            } catch (IOException e) {
                return getOnce(path);
            }
        }

        private HttpResponse<String> getOnce(String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        byte[] getBytes(String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        }

        HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
            try {
                return putOnce(path, body);
            } catch (IOException e) {
                return putOnce(path, body);
            }
        }

        private HttpResponse<String> putOnce(String path, String body) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> postOnce(String path, String body) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The number of SEG instances Orthanc holds for the study. */
        int segInstances(String studyUid) throws Exception {
            JsonNode series = JSON.readTree(post("/tools/find", "{\"Level\":\"Series\",\"Expand\":true,\"Query\":"
                    + "{\"StudyInstanceUID\":\"" + studyUid + "\",\"Modality\":\"SEG\"}}").body());
            int n = 0;
            for (JsonNode s : series) n += s.path("Instances").size();
            return n;
        }

        /** The SOP Instance UIDs of the SEG instances Orthanc holds for the study. */
        List<String> segSopInstanceUids(String studyUid) throws Exception {
            JsonNode instances = JSON.readTree(post("/tools/find", "{\"Level\":\"Instance\",\"Expand\":true,\"Query\":"
                    + "{\"StudyInstanceUID\":\"" + studyUid + "\",\"Modality\":\"SEG\"}}").body());
            List<String> uids = new java.util.ArrayList<>();
            for (JsonNode i : instances) uids.add(i.path("MainDicomTags").path("SOPInstanceUID").asText());
            return uids;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
