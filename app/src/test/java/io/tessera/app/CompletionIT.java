package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.dicomio.DicomHeaders;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion with a real sender (dcmtk storescu): the release trigger completes a study long before its 60 s quiet
 * period; a late instance re-opens a study under version 2 whose results supersede version 1's; re-sending the same
 * instances changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompletionIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir static Path work;
    static TesseraServer tessera;
    static PhantomStudy late;

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = ServerConfig.in(work).completion("quietPeriod: 60s, onAssociationRelease: true, releaseGrace: 1s")
                .folder("results", work.resolve("results")).ctRoute(ServerConfig.CT_ORGANS, "results");
        tessera = config.start();
        late = PhantomStudy.write(PhantomSpec.small(7302).withLesionCount(1), work.resolve("late"));
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
    }

    @Test
    @Order(1)
    void a_study_sent_in_one_association_completes_on_release_long_before_its_quiet_period() throws Exception {
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(7301).withLesionCount(1), work.resolve("whole"));
        send(study.files());
        long sent = System.nanoTime();
        StudyRecord done = await(study.study().studyInstanceUid(), r -> r.state().isFinal(), Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - sent) / 1e9;
        assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
        assertEquals(1, done.version());
        System.out.printf("release-triggered completion: DONE %.1f s after the association ended (quiet period 60 s)%n", seconds);
        assertTrue(seconds < 20, "DONE after " + seconds + " s");
        assertEquals(1, segs(study).size());
    }

    @Test
    @Order(2)
    void a_late_instance_reopens_the_study_and_version_2_supersedes_version_1() throws Exception {
        String studyUid = late.study().studyInstanceUid();
        List<Path> files = late.files();
        send(files.subList(0, files.size() - 1));
        StudyRecord v1 = await(studyUid, r -> r.state().isFinal(), Duration.ofSeconds(30));
        assertEquals(List.of(JobState.DONE, 1, files.size() - 1), List.of(v1.state(), v1.version(), v1.instanceCount()));
        List<Path> v1Segs = segs(late);
        assertEquals(1, v1Segs.size());
        String fhir = tessera.httpBaseUrl() + "/fhir";
        String patient = get(fhir + "/Patient?identifier=PHANTOM-7302").path("entry").get(0).path("resource").path("id").asText();
        List<String> v1Reports = reportIds(fhir, patient);
        List<String> v1Observations = new ArrayList<>();
        for (JsonNode r : get(fhir + "/DiagnosticReport/" + v1Reports.get(0)).path("result")) {
            v1Observations.add(r.path("reference").asText());
        }
        assertFalse(v1Observations.isEmpty());
        assertEquals(1, v1Reports.size());

        send(files.subList(files.size() - 1, files.size()));
        StudyRecord v2 = await(studyUid, r -> r.version() == 2 && r.state().isFinal(), Duration.ofSeconds(30));
        assertEquals(List.of(JobState.DONE, files.size()), List.of(v2.state(), v2.instanceCount()),
                () -> v2.failureReason().orElse(""));

        List<Path> all = segs(late);
        assertEquals(2, all.size(), "v1's SEG stays where it was delivered; v2 adds its own: " + all);
        Path v2Seg = all.stream().filter(p -> !v1Segs.contains(p)).findFirst().orElseThrow();
        String v1Sop = DicomHeaders.read(v1Segs.get(0)).get("SOPInstanceUID");
        String v2Sop = DicomHeaders.read(v2Seg).get("SOPInstanceUID");
        assertNotEquals(v1Sop, v2Sop, "a new version gets new output UIDs");
        Set<String> sources = new TreeSet<>();
        for (Path f : files) sources.add(DicomHeaders.read(f).get("SOPInstanceUID"));
        assertEquals(sources, referencedInstances(v2Seg), "the v2 SEG references every instance, the late one included");

        List<String> reports = reportIds(fhir, patient);
        assertEquals(1, reports.size(), "exactly one report: v1's was amended, not duplicated");
        assertEquals(v1Reports.get(0), reports.get(0), "the report an EHR may have read keeps its id");
        JsonNode report = get(fhir + "/DiagnosticReport/" + reports.get(0));
        assertEquals(List.of("amended", "2"), List.of(report.path("status").asText(), report.path("meta").path("versionId").asText()));
        assertEquals("preliminary", get(fhir + "/DiagnosticReport/" + reports.get(0) + "/_history/1").path("status").asText());
        for (String obs : v1Observations) {
            assertEquals("entered-in-error", get(fhir + "/" + obs).path("status").asText(), obs + " of the superseded version");
        }

        JsonNode listed = null;
        for (JsonNode s : get(tessera.httpBaseUrl() + "/api/studies").path("studies")) {
            if (s.path("studyInstanceUid").asText().equals(studyUid)) listed = s;
        }
        assertNotNull(listed);
        assertEquals(List.of("DONE", 2), List.of(listed.path("state").asText(), listed.path("version").asInt()));
    }

    @Test
    @Order(3)
    void resending_the_same_instances_is_acknowledged_and_changes_nothing() throws Exception {
        String studyUid = late.study().studyInstanceUid();
        StudyRecord before = tessera.index().study(studyUid).orElseThrow();
        assertEquals(List.of(JobState.DONE, 2), List.of(before.state(), before.version()), "runs after the late-instance test");
        send(late.files());
        // Index rows are written before Success is answered, so once storescu is done the index shows any effect.
        StudyRecord after = tessera.index().study(studyUid).orElseThrow();
        assertEquals(List.of(JobState.DONE, 2, late.files().size()), List.of(after.state(), after.version(), after.instanceCount()));
        assertEquals(late.files().size(), tessera.index().instances(studyUid).size());
        assertEquals(2, segs(late).size(), "no new results");
    }

    private static void send(List<Path> files) throws Exception {
        ExternalTool.Result r = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT_SCANNER_1", "TESSERA", files);
        assertEquals(0, r.exitCode(), r.output());
    }

    private static StudyRecord await(String studyUid, Predicate<StudyRecord> done, Duration timeout) throws InterruptedException {
        return tessera.awaitStudy(studyUid, done, timeout);
    }

    private static List<Path> segs(PhantomStudy study) throws Exception {
        Path dir = work.resolve("results").resolve(study.study().studyInstanceUid());
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    /** Every Referenced SOP Instance UID in the SEG (Referenced Series Sequence and per-frame source images), by dcmdump. */
    private static Set<String> referencedInstances(Path seg) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of("dcmdump", "+L", "+P", "0008,1155", seg.toString()), Map.of(), 60);
        assertEquals(0, r.exitCode(), r.output());
        return r.output().lines().filter(l -> l.contains("(0008,1155)"))
                .map(l -> l.substring(l.indexOf('[') + 1, l.indexOf(']'))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> reportIds(String fhir, String patient) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : get(fhir + "/DiagnosticReport?patient=" + patient).path("entry")) ids.add(e.path("resource").path("id").asText());
        return ids;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return JSON.readTree(r.body());
    }
}
