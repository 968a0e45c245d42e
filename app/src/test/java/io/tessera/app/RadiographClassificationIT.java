package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.dicomio.RadiographSpec;
import io.tessera.fhir.FhirValidator;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.RadiographStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DX chest radiograph (a projection of a phantom, stored MONOCHROME1 with Imager Pixel Spacing only) sent by dcmtk
 * storescu to the running server, routed to the classification package cxr-phantom-findings: a TID 1500 SR in the
 * folder destination that dciodvfy passes, naming the model and both labels, and one FHIR Observation per label,
 * validator clean, with the probability, the threshold decision and the model's Device.
 */
class RadiographClassificationIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir Path work;

    @Test
    void a_dx_study_is_classified_into_an_sr_and_fhir_observations() throws Exception {
        RadiographStudy study = RadiographStudy.write(PhantomSpec.small(940_001).withLesionCount(2), RadiographSpec.Kind.DX, true,
                work.resolve("study"));
        ServerConfig config = ServerConfig.in(work).folder("results", work.resolve("results"))
                .route("name: chest-xray, match: { modality: DX }, models: [cxr-phantom-findings], destinations: [results]");
        try (TesseraServer server = config.start()) {
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", List.of(study.file()));
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord done = server.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(3));
            assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));

            List<Path> results;
            try (Stream<Path> s = Files.list(work.resolve("results").resolve(study.study().studyInstanceUid()))) {
                results = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            }
            assertEquals(1, results.size(), "one classification SR: " + results);
            Path sr = results.get(0);
            ExternalTool.Result v = ExternalTool.dciodvfy(sr);
            assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), v.output());
            Process p = new ProcessBuilder("dsrdump", sr.toString()).redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), dump);
            assertTrue(dump.contains("cxr-phantom-findings") && dump.contains("Certainty of Finding")
                    && dump.contains("\"pulmonary nodule\")=") && dump.contains("\"Cardiomegaly\")="), dump);

            String base = server.httpBaseUrl() + "/fhir";
            JsonNode patients = get(base + "/Patient?identifier=" + study.study().patientId());
            String patientId = patients.path("entry").get(0).path("resource").path("id").asText();
            JsonNode reports = get(base + "/DiagnosticReport?patient=" + patientId);
            assertEquals(1, reports.path("entry").size(), reports.toString());
            JsonNode report = reports.path("entry").get(0).path("resource");
            FhirValidator validator = FhirValidator.shared();
            assertEquals(List.of(), validator.errors(JSON.writeValueAsString(report)));
            assertEquals(2, report.path("result").size(), report.toString());
            StringBuilder seen = new StringBuilder();
            for (JsonNode ref : report.path("result")) {
                JsonNode obs = get(base + "/" + ref.path("reference").asText());
                assertEquals(List.of(), validator.errors(JSON.writeValueAsString(obs)), obs.toString());
                double prob = obs.path("valueQuantity").path("value").asDouble(-1);
                assertTrue(prob >= 0 && prob <= 1, obs.toString());
                assertEquals("1", obs.path("valueQuantity").path("code").asText());
                String call = obs.path("interpretation").get(0).path("coding").get(0).path("code").asText();
                assertEquals(prob >= 0.5 ? "POS" : "NEG", call, obs.toString());
                assertTrue(obs.path("device").path("reference").asText().startsWith("Device/"), obs.toString());
                String code = obs.path("code").path("coding").get(0).path("code").asText();
                seen.append(code).append(' ');
                System.out.printf("DX classification, seed 940001: %s p=%.4f %s (truth: nodule %b, ratio %.3f)%n", code, prob, call,
                        study.radiograph().lungNodule(), study.radiograph().cardiothoracicRatio());
            }
            assertTrue(seen.toString().contains("RID50149") && seen.toString().contains("8186001"), seen.toString());
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
