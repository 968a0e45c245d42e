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
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox against a real Orthanc: a destination that is down for a while, and one that refuses permanently until
 * it is fixed. Orthanc's DICOM port and AE title are chosen before it runs: Tessera's destination names them from the
 * start.
 */
class OutboxIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path work;
    TesseraServer tessera;
    OrthancPeer orthanc;

    @AfterEach
    void stop() throws Exception {
        ServerConfig.stop(tessera, orthanc);
    }

    @Test
    void a_destination_down_for_a_while_gets_the_seg_once_when_it_comes_up() throws Exception {
        int pacsPort = FreePorts.next();
        String uid = sendStudy(pacsPort, 4501);
        JsonNode pending = awaitOutbox(a -> a.size() == 1 && a.get(0).path("attempts").asInt() >= 2, Duration.ofMinutes(2));
        assertEquals("PENDING", pending.get(0).path("state").asText(), pending.toString());
        assertTrue(pending.get(0).path("lastError").asText().contains("TSR-0702"), pending.toString());
        assertEquals(JobState.DELIVERING, tessera.index().study(uid).orElseThrow().state());

        orthanc = OrthancPeer.start(work.resolve("orthanc"), "ORTHANC", pacsPort, false);
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertTrue(done.stageMillis().containsKey("deliver"), done.stageMillis().toString());
        assertEquals(1, OrthancSegs.count(orthanc, uid), "Orthanc holds the SEG once");
        assertEquals(0, JSON.readTree(get("/api/outbox")).size(), "nothing left in the outbox");
    }

    @Test
    void a_destination_refusing_permanently_parks_the_result_and_a_replay_after_the_fix_delivers_it_once() throws Exception {
        int pacsPort = FreePorts.next();
        orthanc = OrthancPeer.start(work.resolve("orthanc-wrong-ae"), "NOT_ORTHANC", pacsPort, true);
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
        orthanc = OrthancPeer.start(work.resolve("orthanc-fixed"), "ORTHANC", pacsPort, true);
        assertEquals(0, Main.run(new String[] {"replay", Long.toString(id), "--url", tessera.httpBaseUrl()}));
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, OrthancSegs.count(orthanc, uid), "Orthanc holds the SEG once");
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

        orthanc = OrthancPeer.start(work.resolve("orthanc"), "ORTHANC", pacsPort, false);
        tessera = TesseraServer.start(new ConfigLoader().load(work.resolve("tessera.yaml"), Map.of(), List.of()));
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, OrthancSegs.count(orthanc, uid), "Orthanc holds the SEG once");
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
        orthanc = OrthancPeer.start(work.resolve("orthanc-full"), "ORTHANC", pacsPort, false, "\"MaximumPatientCount\": 1,");
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
        assertEquals(0, OrthancSegs.count(orthanc, uid));

        assertEquals(200, orthanc.put("/patients/" + patient + "/protected", "0").statusCode());
        StudyRecord done = awaitFinal(uid);
        assertEquals(JobState.DONE, done.state(), () -> "reason: " + done.failureReason().orElse(""));
        assertEquals(1, OrthancSegs.count(orthanc, uid), "Orthanc holds the SEG once");
        assertEquals(0, JSON.readTree(get("/api/outbox")).size(), "nothing left in the outbox");
    }

    private String sendStudy(int pacsPort, long seed) throws Exception {
        tessera = ServerConfig.in(work).quietPeriod("500ms")
                .section("delivery: { initialBackoff: 100ms, maxBackoff: 1s, maxAttempts: 1000, breakerFailures: 3 }")
                .dicom("pacs", "ORTHANC", pacsPort).ctRoute(ServerConfig.CT_ORGANS, "pacs").start();
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(seed).withLesionCount(1), work.resolve("study"));
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        return study.study().studyInstanceUid();
    }

    private StudyRecord awaitFinal(String uid) throws InterruptedException {
        return tessera.awaitFinal(uid, Duration.ofMinutes(2));
    }

    private JsonNode awaitOutbox(Predicate<JsonNode> until, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return Awaits.within(timeout, Duration.ofMillis(100)).until(() -> {
                last.set(JSON.readTree(get("/api/outbox")));
                return last.get();
            }, until);
        } catch (ConditionTimeoutException e) {
            return fail("outbox never matched; last: " + last.get());
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
