package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Tessera processes stopped the ways operators and machines stop them, with a real Orthanc as the PACS: kill -9
 * in the middle of a storescu send, and SIGTERM at points of a study's life (while receiving, during the first
 * inference of a fresh JVM, while delivering). Each time: the PACS gets exactly one SEG for the study, made from every
 * acknowledged instance; SIGTERM exits 0 without a JVM crash report; every export is in the audit log.
 */
class StopAndCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path work;
    private final List<ServerProcess> started = new ArrayList<>();
    private OrthancPeer orthanc;
    private ServerConfig config;
    private int dicomPort;

    @BeforeEach
    void startThePacs() throws Exception {
        orthanc = OrthancPeer.start(work.resolve("orthanc"), null);
    }

    @AfterEach
    void stopEveryProcessByPid() throws InterruptedException {
        for (ServerProcess s : started) s.close();
        orthanc.close();
    }

    private ServerProcess start() throws Exception {
        if (config == null) {
            config = ServerConfig.in(work).quietPeriod("3s").section("inference: { stopGrace: 0s }")
                    .dicom("pacs", "ORTHANC", orthanc.dicomPort()).folder("results", work.resolve("results"))
                    .ctRoute(ServerConfig.CT_ORGANS, "pacs", "results");
            dicomPort = config.dicomPort();
        }
        ServerProcess s = config.startProcess(work.resolve("server.log"));
        started.add(s);
        return s;
    }

    /** A 120-slice study, as in the crash that sent a SEG of 7-10 slices. */
    private static PhantomStudy study(Path dir, long seed) throws IOException {
        return PhantomStudy.write(new PhantomSpec(seed, 128, 128, 120, 3.0, 2.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1), dir);
    }

    private static JsonNode awaitState(ServerProcess s, String uid, Set<String> states, Duration timeout) {
        return await(s, uid, now -> states.contains(now.path("state").asText()), "state in " + states, timeout);
    }

    private static JsonNode await(ServerProcess s, String uid, java.util.function.Predicate<JsonNode> done, String what,
                                  Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        List<String> seen = new ArrayList<>();
        try {
            return Awaits.within(timeout, Duration.ofMillis(10)).until(() -> {
                JsonNode now = s.study(uid);
                last.set(now);
                String state = now.path("state").asText() + " v" + now.path("version").asInt() + " (" + now.path("instances").asInt() + ")";
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) seen.add(state);
                return now;
            }, done::test);
        } catch (ConditionTimeoutException e) {
            return fail("study never reached " + what + "; seen " + seen + ", last " + last.get() + "\n" + s.tail());
        }
    }

    /**
     * A final state holding at least {@code instances} instances, then DONE. Nothing more is sent after that point, so
     * no later version can come: the study is settled (a version made from fewer instances is not taken for it).
     */
    private static JsonNode awaitSettled(ServerProcess s, String uid, int instances) {
        Set<String> finals = Set.of("DONE", "DONE_WITH_FAILURES", "FAILED", "PARKED");
        JsonNode done = await(s, uid, now -> finals.contains(now.path("state").asText())
                && now.path("instances").asInt() >= instances, "a final state with " + instances + "+ instances",
                Duration.ofMinutes(3));
        assertEquals("DONE", done.path("state").asText(), done + "\n" + s.tail());
        return done;
    }

    private List<Path> folderSegs(String uid) throws IOException {
        Path dir = work.resolve("results").resolve(uid);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
    }

    /** SEG instances Orthanc holds for the study. */
    private int segsInOrthanc(String uid) throws Exception {
        int n = 0;
        for (JsonNode series : JSON.readTree(orthanc.findSeries(uid, "SEG"))) n += series.path("Instances").size();
        return n;
    }

    private static String sopOf(Path file) throws Exception {
        AttributeList l = new AttributeList();
        l.read(file.toFile(), TagFromName.PixelData);
        return l.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString();
    }

    private Set<String> sops(PhantomStudy study, Set<String> fileNames) throws Exception {
        Set<String> out = new HashSet<>();
        for (Path f : study.files()) if (fileNames.contains(f.getFileName().toString())) out.add(sopOf(f));
        return out;
    }

    /** One job record for the study (series included), and it is DONE. */
    private static void assertOneJobRecord(ServerProcess s, String uid) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        for (JsonNode j : s.get("/api/jobs").path("jobs")) if (j.path("studyUid").asText().equals(uid)) jobs.add(j);
        assertEquals(1, jobs.size(), "one job record: " + jobs);
        assertEquals("DONE", jobs.get(0).path("state").asText(), jobs.toString());
    }

    private List<Path> crashReports() throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    @Test
    void kill_9_during_a_send_gives_the_pacs_one_seg_made_from_every_acknowledged_instance() throws Exception {
        PhantomStudy study = study(work.resolve("study"), 2101);
        String uid = study.study().studyInstanceUid();
        ServerProcess first = start();
        Path out = work.resolve("storescu.txt");
        Process send = StorescuRun.start(dicomPort, study.files(), out);
        Awaits.within(Duration.ofSeconds(60), Duration.ofMillis(2)).until(() -> StorescuRun.acknowledged(out).size() >= 50 || !send.isAlive());
        first.kill9();
        assertTrue(send.waitFor(60, TimeUnit.SECONDS));
        Set<String> acked = sops(study, StorescuRun.acknowledged(out));
        assertTrue(acked.size() >= 50 && acked.size() < study.files().size(), "killed mid-send: " + acked.size() + " acknowledged");

        // no re-send: what was acknowledged must be enough, and nothing may be processed from a partial recovery
        ServerProcess second = start();
        JsonNode done = awaitSettled(second, uid, acked.size());
        assertEquals(1, done.path("version").asInt(), "one version: " + done);
        assertEquals(1, segsInOrthanc(uid), "exactly one SEG in the PACS");
        List<Path> segs = folderSegs(uid);
        assertEquals(1, segs.size(), "exactly one SEG in the folder: " + segs);
        Set<String> referenced = SegReferences.sourceSops(segs.get(0));
        assertTrue(referenced.containsAll(acked), "the SEG references every acknowledged instance: "
                + referenced.size() + " referenced, " + acked.size() + " acknowledged");
        assertEquals(done.path("instances").asInt(), referenced.size(), "and exactly what the study holds");
        assertOneJobRecord(second, uid);
        assertFalse(Files.readString(second.log).contains("uneven slice spacing"), "no partial series was read");
    }

    @Test
    void sigterm_at_any_point_of_a_study_exits_0_without_a_crash_and_one_seg_follows() throws Exception {
        PhantomStudy study = study(work.resolve("study"), 2102);
        String uid = study.study().studyInstanceUid();
        Random random = new Random(2102);

        // 1. while receiving
        ServerProcess s1 = start();
        Path out1 = work.resolve("storescu-1.txt");
        Process send1 = StorescuRun.start(dicomPort, study.files(), out1);
        Awaits.within(Duration.ofSeconds(60), Duration.ofMillis(2)).until(() -> StorescuRun.acknowledged(out1).size() >= 30 || !send1.isAlive());
        assertEquals(0, s1.sigterm(Duration.ofSeconds(60)), "exit code after SIGTERM while receiving\n" + s1.tail());
        assertTrue(send1.waitFor(60, TimeUnit.SECONDS));

        // 2. during the first inference of a fresh JVM (ONNX Runtime's own shutdown hook used to crash it here)
        ServerProcess s2 = start();
        Path out2 = work.resolve("storescu-2.txt");
        Process send2 = StorescuRun.start(dicomPort, study.files(), out2); // the sender retries the whole study
        awaitState(s2, uid, Set.of("RUNNING"), Duration.ofSeconds(90));
        Thread.sleep(200 + random.nextInt(1800)); // planning, reading or the model's run: wherever it is, it is terminated
        assertEquals(0, s2.sigterm(Duration.ofSeconds(60)), "exit code after SIGTERM during inference\n" + s2.tail());
        assertTrue(send2.waitFor(60, TimeUnit.SECONDS));
        assertEquals(List.of(), crashReports(), "no JVM crash report");

        // 3. while delivering (or as soon after as the poll sees it): exports made during the stop are audited
        ServerProcess s3 = start();
        JsonNode late = awaitState(s3, uid, Set.of("DELIVERING", "DONE"), Duration.ofMinutes(3));
        assertEquals(0, s3.sigterm(Duration.ofSeconds(60)), "exit code after SIGTERM at " + late + "\n" + s3.tail());
        assertEquals(List.of(), crashReports(), "no JVM crash report");

        ServerProcess s4 = start();
        JsonNode done = awaitSettled(s4, uid, study.files().size());
        assertEquals(study.files().size(), done.path("instances").asInt(), done.toString());
        assertEquals(1, segsInOrthanc(uid), "exactly one SEG in the PACS");
        List<Path> segs = folderSegs(uid);
        assertEquals(1, segs.size(), "exactly one SEG in the folder: " + segs);
        assertEquals(study.files().size(), SegReferences.sourceSops(segs.get(0)).size(), "made from the whole study");
        assertOneJobRecord(s4, uid);

        String seg = segs.get(0).getFileName().toString().replace(".dcm", "");
        List<String> audit = Files.readAllLines(work.resolve("var/audit/audit.log"));
        for (String destination : List.of("pacs", "results")) {
            assertTrue(audit.stream().anyMatch(l -> l.contains("\"event\":\"export\"") && l.contains("\"destination\":\"" + destination + "\"")
                    && l.contains(seg) && l.contains("\"outcome\":\"success\"")), "audited export of the SEG to " + destination);
        }
        String log = Files.readString(work.resolve("server.log"));
        assertFalse(log.contains("TSR-0283"), "no audit line lost while stopping");
    }
}
