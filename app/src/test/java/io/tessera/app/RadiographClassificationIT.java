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
 * validator clean, with the probability, the threshold decision and the model's Device; and the same through the
 * image-text package cxr-phantom-heart-text (zero-shot labels from text prompts).
 */
class RadiographClassificationIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir Path work;

    @Test
    void a_dx_study_is_classified_into_an_sr_and_fhir_observations() throws Exception {
        RadiographStudy study = RadiographStudy.write(PhantomSpec.small(940_001).withLesionCount(2), RadiographSpec.Kind.DX, true,
                work.resolve("study"));
        Classified c = classify(study, "cxr-phantom-findings");
        assertTrue(c.srDump().contains("cxr-phantom-findings") && c.srDump().contains("Certainty of Finding")
                && c.srDump().contains("\"pulmonary nodule\")=") && c.srDump().contains("\"Cardiomegaly\")="), c.srDump());
        assertEquals(2, c.observations().size());
        StringBuilder seen = new StringBuilder();
        for (JsonNode obs : c.observations()) {
            String code = obs.path("code").path("coding").get(0).path("code").asText();
            seen.append(code).append(' ');
            System.out.printf("DX classification, seed 940001: %s p=%.4f (truth: nodule %b, ratio %.3f)%n", code,
                    obs.path("valueQuantity").path("value").asDouble(), study.radiograph().lungNodule(),
                    study.radiograph().cardiothoracicRatio());
        }
        assertTrue(seen.toString().contains("RID50149") && seen.toString().contains("8186001"), seen.toString());
    }

    /**
     * The image-text package cxr-phantom-heart-text in the same place: its label comes from text prompts through the
     * real tokenizer and text encoder, and lands in the same SR and FHIR form, saying it was zero-shot.
     */
    @Test
    void a_dx_study_gets_zero_shot_labels_from_an_image_text_package() throws Exception {
        // a ratio well above the 0.48 cut: the label must come out present
        RadiographStudy study = null;
        for (long seed = 940_101; study == null || study.radiograph().cardiothoracicRatio() < 0.52; seed++) {
            study = RadiographStudy.write(PhantomSpec.small(seed).withLesionCount(1), RadiographSpec.Kind.DX, true,
                    work.resolve("study-" + seed));
        }
        Classified c = classify(study, "cxr-phantom-heart-text");
        assertTrue(c.srDump().contains("cxr-phantom-heart-text") && c.srDump().contains("\"Cardiomegaly\")=")
                && c.srDump().contains("activation=zero-shot"), c.srDump());
        assertEquals(1, c.observations().size());
        JsonNode obs = c.observations().get(0);
        assertEquals("8186001", obs.path("code").path("coding").get(0).path("code").asText());
        assertTrue(obs.path("note").toString().contains("zero-shot"), obs.toString());
        double p = obs.path("valueQuantity").path("value").asDouble();
        System.out.printf("DX zero-shot, ratio %.3f: enlarged_heart p=%.4f%n", study.radiograph().cardiothoracicRatio(), p);
        assertTrue(p >= 0.5, "an enlarged heart (ratio " + study.radiograph().cardiothoracicRatio() + ") called present: p=" + p);
    }

    record Classified(String srDump, List<JsonNode> observations) {}

    /** Sends the study, routed to {@code model} alone; checks the SR (dciodvfy) and each Observation (validator). */
    private Classified classify(RadiographStudy study, String model) throws Exception {
        ServerConfig config = ServerConfig.in(work).folder("results", work.resolve("results"))
                .route("name: chest-xray, match: { modality: DX }, models: [" + model + "], destinations: [results]");
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

            String base = server.httpBaseUrl() + "/fhir";
            JsonNode patients = get(base + "/Patient?identifier=" + study.study().patientId());
            String patientId = patients.path("entry").get(0).path("resource").path("id").asText();
            JsonNode reports = get(base + "/DiagnosticReport?patient=" + patientId);
            assertEquals(1, reports.path("entry").size(), reports.toString());
            JsonNode report = reports.path("entry").get(0).path("resource");
            FhirValidator validator = FhirValidator.shared();
            assertEquals(List.of(), validator.errors(JSON.writeValueAsString(report)));
            List<JsonNode> observations = new java.util.ArrayList<>();
            for (JsonNode ref : report.path("result")) {
                JsonNode obs = get(base + "/" + ref.path("reference").asText());
                assertEquals(List.of(), validator.errors(JSON.writeValueAsString(obs)), obs.toString());
                double prob = obs.path("valueQuantity").path("value").asDouble(-1);
                assertTrue(prob >= 0 && prob <= 1, obs.toString());
                assertEquals("1", obs.path("valueQuantity").path("code").asText());
                String call = obs.path("interpretation").get(0).path("coding").get(0).path("code").asText();
                assertEquals(prob >= 0.5 ? "POS" : "NEG", call, obs.toString());
                assertTrue(obs.path("device").path("reference").asText().startsWith("Device/"), obs.toString());
                observations.add(obs);
            }
            return new Classified(dump, observations);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
