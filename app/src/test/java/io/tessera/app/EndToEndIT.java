package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.config.TesseraConfig;
import io.tessera.core.JobState;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.SegReader;
import io.tessera.dicomio.SeriesReader;
import io.tessera.fhir.FhirValidator;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first complete path with real peers: dcmtk storescu sends a phantom CT study to Tessera; Tessera segments it and
 * stores the SEG in a real Orthanc and in a folder, and serves the DiagnosticReport from /fhir.
 */
class EndToEndIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path work;
    static OrthancPeer orthanc;
    static TesseraServer tessera;
    static PhantomStudy study;
    static StudyRecord done;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void run_a_study_through_tessera() throws Exception {
        orthanc = OrthancPeer.start(work.resolve("orthanc"), null);
        ServerConfig config = ServerConfig.in(work).dicom("pacs", "ORTHANC", orthanc.dicomPort()).folder("results", work.resolve("results"))
                .ctRoute(ServerConfig.CT_ORGANS, "pacs", "results");
        TesseraConfig cfg = config.load();
        tessera = TesseraServer.start(cfg);
        study = PhantomStudy.write(PhantomSpec.small(4242).withLesionCount(1), work.resolve("study"));

        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());

        done = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(4));
        assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failureReason().orElse(""));
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
        if (orthanc != null) orthanc.close();
    }

    private static Path segFile() throws Exception {
        try (Stream<Path> s = Files.list(work.resolve("results").resolve(study.study().studyInstanceUid()))) {
            List<Path> segs = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            assertEquals(1, segs.size(), "one SEG in the folder destination");
            return segs.get(0);
        }
    }

    @Test
    void every_stage_is_recorded_with_its_time() {
        assertEquals(study.files().size(), done.instanceCount());
        for (String stage : List.of("receive", "plan", "load", "infer", "encode", "fhir", "deliver")) {
            assertTrue(done.stageMillis().containsKey(stage), () -> "stage " + stage + " missing: " + done.stageMillis());
        }
    }

    @Test
    void orthanc_indexes_the_seg_under_the_source_study() throws Exception {
        JsonNode studies = JSON.readTree(orthanc.findStudy(study.study().studyInstanceUid()));
        assertEquals(1, studies.size(), "Orthanc must file the SEG under the one source study: " + studies);
        JsonNode series = JSON.readTree(orthanc.findSeries(study.study().studyInstanceUid(), "SEG"));
        assertEquals(1, series.size(), "one SEG series in Orthanc: " + series);
        assertEquals(studies.get(0).get("ID").asText(), series.get(0).get("ParentStudy").asText());
        assertEquals(1, series.get(0).get("Instances").size());
    }

    @Test
    void the_seg_passes_dciodvfy_without_errors() throws Exception {
        ExternalTool.Result r = ExternalTool.dciodvfy(segFile());
        assertFalse(r.output().lines().anyMatch(l -> l.startsWith("Error")), r.output());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void the_seg_overlays_the_phantom_truth() throws Exception {
        SourceSeries source = new SeriesReader().read(study.files());
        LabelMap found = new SegReader().readOnto(segFile(), source);
        LabelMap truth = study.phantom().organs();
        for (String organ : List.of("lung_left", "lung_right", "liver")) {
            int v = PhantomLabels.value(organ);
            double dice = found.dice(truth, v);
            assertTrue(dice >= 0.85, organ + " Dice " + dice);
        }
    }

    @Test
    void the_diagnostic_report_comes_back_from_fhir_with_the_seg_volumes_and_validates() throws Exception {
        String base = tessera.httpBaseUrl() + "/fhir";
        // Search the way an EHR does: by patient identifier, then reports for that patient.
        JsonNode patients = get(base + "/Patient?identifier=PHANTOM-4242");
        assertEquals(1, patients.path("entry").size(), patients.toString());
        String patientId = patients.path("entry").get(0).path("resource").path("id").asText();
        JsonNode bundle = get(base + "/DiagnosticReport?patient=" + patientId + "&status=preliminary&date=ge2026-01-01");
        assertEquals(1, bundle.path("entry").size(), bundle.toString());
        JsonNode report = bundle.path("entry").get(0).path("resource");
        assertEquals("preliminary", report.path("status").asText());

        SourceSeries source = new SeriesReader().read(study.files());
        LabelMap found = new SegReader().readOnto(segFile(), source);
        double voxelMl = found.grid().voxelVolumeMl();
        long[] h = found.histogram();
        Map<String, Double> expected = new HashMap<>();
        for (int v = 1; v < PhantomLabels.NAMES.size(); v++) if (h[v] > 0) expected.put(PhantomLabels.name(v), h[v] * voxelMl);

        FhirValidator validator = FhirValidator.shared();
        assertEquals(List.of(), validator.errors(JSON.writeValueAsString(report)));
        int checked = 0;
        for (JsonNode ref : report.path("result")) {
            JsonNode obs = get(base + "/" + ref.path("reference").asText());
            assertEquals(List.of(), validator.errors(JSON.writeValueAsString(obs)), obs.toString());
            assertEquals("mL", obs.path("valueQuantity").path("code").asText());
            String text = obs.path("code").path("text").asText().toLowerCase().replace("volume of ", "").replace(' ', '_');
            Double want = expected.get(text);
            assertNotNull(want, "observation for unexpected segment '" + text + "': " + expected.keySet());
            assertEquals(want, obs.path("valueQuantity").path("value").asDouble(), 0.051, text);
            checked++;
        }
        assertEquals(expected.size(), checked, "one Observation per non-empty segment");
        for (String type : List.of("Patient/" + patientId, report.path("imagingStudy").get(0).path("reference").asText())) {
            JsonNode r = get(base + "/" + type);
            assertEquals(List.of(), validator.errors(JSON.writeValueAsString(r)), r.toString());
        }
    }

    @Test
    void health_and_status_api_answer() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        JsonNode studies = get(tessera.httpBaseUrl() + "/api/studies").path("studies");
        assertEquals(study.study().studyInstanceUid(), studies.get(0).path("studyInstanceUid").asText());
        assertEquals("DONE", studies.get(0).path("state").asText());
        assertTrue(studies.get(0).path("stageMillis").has("infer"));
        JsonNode job = get(tessera.httpBaseUrl() + "/api/jobs").path("jobs").get(0);
        assertEquals("DONE", job.path("state").asText(), job.toString());
        assertEquals("ct-phantom-organs", job.path("model").asText());
        assertEquals(64, job.path("onnxSha256").asText().length(), "the ONNX file's SHA-256 is in the job record: " + job);
        assertEquals("cpu", job.path("provider").asText());
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return JSON.readTree(r.body());
    }
}
