package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.dicomio.DicomHeaders;
import io.tessera.dicomio.SegReader;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.ScannerStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CT study as scanners send it (two scouts, two axial reconstructions, a dose screen, a dose SR) sent by dcmtk
 * storescu: the {@code modality: CT} rule makes exactly one SEG per axial reconstruction, the study ends DONE, the
 * forward-only rule archives every instance, and {@code /api/studies} says why the scouts and the dose screen got
 * no SEG.
 */
class ScannerStudyIT {
    @TempDir
    static Path work;
    static TesseraServer tessera;
    static ScannerStudy study;
    static StudyRecord done;

    @BeforeAll
    static void send_the_study() throws Exception {
        ServerConfig config = ServerConfig.in(work).folder("results", work.resolve("results")).folder("archive", work.resolve("archive"))
                .ctRoute(ServerConfig.CT_ORGANS, "results").route("name: archive, models: [], destinations: [archive]");
        tessera = config.start();
        study = ScannerStudy.of(new PhantomSpec(8801, 96, 96, 24, 4.0, 6.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1))
                .withSagittalScout(true).write(work.resolve("study"));
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
        done = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(4));
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
    }

    @Test
    void the_study_is_done_with_one_seg_per_axial_reconstruction_and_none_for_the_rest() throws Exception {
        assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failureReason().orElse(""));
        assertEquals(study.files().size(), done.instanceCount());
        Map<String, String> seriesOfSop = new HashMap<>();
        for (ScannerStudy.Series s : study.series()) {
            for (Path f : s.files()) seriesOfSop.put(DicomHeaders.read(f).get("SOPInstanceUID"), s.role());
        }
        List<Path> segs = dcmFiles(work.resolve("results"));
        Set<String> segmented = new HashSet<>();
        for (Path seg : segs) {
            Set<String> roles = new HashSet<>();
            new SegReader().frameReferences(seg).forEach(r -> roles.add(seriesOfSop.get(r.sourceSopInstanceUid())));
            assertEquals(1, roles.size(), "a SEG refers to one source series: " + roles);
            segmented.addAll(roles);
        }
        assertEquals(2, segs.size(), "one SEG per axial reconstruction: " + segs);
        assertEquals(Set.of(ScannerStudy.AXIAL, ScannerStudy.AXIAL_THICK), segmented);
    }

    @Test
    void the_forward_only_rule_archives_every_instance_scouts_and_dose_objects_included() throws Exception {
        assertEquals(study.files().size(), dcmFiles(work.resolve("archive")).size());
    }

    @Test
    void api_studies_lists_the_skipped_series_with_their_reasons() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(tessera.httpBaseUrl() + "/api/studies")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        JsonNode entry = null;
        for (JsonNode s : new ObjectMapper().readTree(r.body()).path("studies")) {
            if (s.path("studyInstanceUid").asText().equals(study.study().studyInstanceUid())) entry = s;
        }
        assertTrue(entry != null, r.body());
        Map<String, String> kinds = new HashMap<>();
        for (JsonNode k : entry.path("skipped")) {
            assertEquals("ct-organs", k.path("route").asText(), k.toString());
            kinds.put(k.path("series").asText(), k.path("kind").asText());
        }
        assertEquals(Map.of("1", "localizer", "2", "localizer", "501", "secondary-capture"), kinds, entry.toString());
        assertTrue(entry.path("skipped").get(0).path("reason").asText().contains("set routes[0].match."), entry.toString());
    }

    private static List<Path> dcmFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).toList();
        }
    }
}
