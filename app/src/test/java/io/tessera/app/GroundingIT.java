package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.config.TesseraConfig;
import io.tessera.core.JobState;
import io.tessera.fhir.FhirValidator;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.MllpClient;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report grounding with real peers, in both orders: a study sent by dcmtk storescu and its report sent as an HL7 v2
 * ORU^R01 over MLLP. Each time the grounding SEG and the TID 1500 SR reach a real Orthanc under the source study, pass
 * dciodvfy, and the finding Observations are served by /fhir, valid, one per described lesion, with the tracking UIDs
 * the SR carries.
 */
class GroundingIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir static Path work;
    static OrthancPeer orthanc;
    static TesseraServer tessera;
    static int hl7Port;

    @BeforeAll
    static void start() throws Exception {
        orthanc = OrthancPeer.start(work.resolve("orthanc"), null);
        hl7Port = FreePorts.next();
        ServerConfig config = ServerConfig.in(work).section("hl7: { enabled: true, bindAddress: 127.0.0.1, port: " + hl7Port + " }")
                .dicom("pacs", "ORTHANC", orthanc.dicomPort()).folder("results", work.resolve("results"))
                .ctRoute(ServerConfig.CT_ORGANS, "pacs", "results");
        TesseraConfig cfg = config.load();
        tessera = TesseraServer.start(cfg);
    }

    @AfterAll
    static void stop() {
        if (tessera != null) tessera.close();
        if (orthanc != null) orthanc.close();
    }

    @Test
    void report_after_the_images_is_grounded_and_delivered() throws Exception {
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(5101).withLesionCount(2), work.resolve("a"));
        send(study);
        StudyRecord first = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(4));
        assertEquals(JobState.DONE, first.state(), () -> first.failureReason().orElse(""));
        assertEquals("AA", sendOru(study, "MSG-A"));
        checkGrounded(study);
    }

    @Test
    void report_before_the_images_is_matched_when_they_arrive() throws Exception {
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(5102).withLesionCount(2), work.resolve("b"));
        assertEquals("AA", sendOru(study, "MSG-B"));
        send(study);
        StudyRecord done = tessera.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(4));
        assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
        checkGrounded(study);
    }

    @Test
    void a_configured_grounding_model_locates_the_findings_instead_of_the_rules() throws Exception {
        Path dir = work.resolve("model");
        ServerConfig config = ServerConfig.in(dir).section("grounding: { model: phantom-grounding }")
                .folder("results", dir.resolve("results")).ctRoute(ServerConfig.CT_ORGANS, "results");
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(5103).withLesionCount(2), dir.resolve("study"));
        try (TesseraServer server = config.start()) {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(server.httpBaseUrl() + "/api/reports"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("accessionNumber", study.study().accessionNumber(), "text", study.phantom().reportText()))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, posted.statusCode(), posted.body());
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", server.dicomPort(), "STORESCU", "TESSERA", study.files());
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord done = server.awaitFinal(study.study().studyInstanceUid(), Duration.ofMinutes(4));
            assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
        }
        Path sr = null;
        try (Stream<Path> s = Files.list(dir.resolve("results").resolve(study.study().studyInstanceUid()))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".dcm")).toList()) {
                Process p = new ProcessBuilder("dsrdump", f.toString()).redirectErrorStream(true).start();
                String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() == 0 && dump.contains("Imaging Measurement Report")) {
                    sr = f;
                    assertTrue(dump.contains("phantom-grounding"), "the SR's device observer is the grounding model:\n" + dump);
                }
            }
        }
        assertNotNull(sr, "a TID 1500 SR was written");
        ExternalTool.Result v = ExternalTool.dciodvfy(sr);
        assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), v.output());
    }

    private static void send(PhantomStudy study) throws Exception {
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());
    }

    private void checkGrounded(PhantomStudy study) throws Exception {
        String uid = study.study().studyInstanceUid();
        JsonNode sr = awaitSeries(uid, "SR", 1);
        JsonNode segs = awaitSeries(uid, "SEG", 2);
        JsonNode studies = JSON.readTree(orthanc.findStudy(uid));
        assertEquals(1, studies.size(), "everything filed under the one source study: " + studies);
        for (JsonNode s : segs) assertEquals(studies.get(0).get("ID").asText(), s.get("ParentStudy").asText());
        assertEquals(1, sr.get(0).get("Instances").size());

        List<Path> outputs = resultFiles(uid);
        assertEquals(3, outputs.size(), "organ SEG, grounding SEG and SR in the folder destination: " + outputs);
        for (Path f : outputs) {
            ExternalTool.Result v = ExternalTool.dciodvfy(f);
            assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), f + "\n" + v.output());
        }

        String base = tessera.httpBaseUrl() + "/fhir";
        JsonNode report = awaitFindingReport(base, study);
        FhirValidator validator = FhirValidator.shared();
        assertEquals(List.of(), validator.errors(JSON.writeValueAsString(report)));
        List<String> trackingUids = new ArrayList<>();
        for (JsonNode ref : report.path("result")) {
            JsonNode obs = get(base + "/" + ref.path("reference").asText());
            if (!obs.path("valueQuantity").path("code").asText().equals("mm")) continue;  // organ volumes are in mL
            assertEquals(List.of(), validator.errors(JSON.writeValueAsString(obs)), obs.toString());
            assertTrue(obs.path("note").get(0).path("text").asText().length() > 5, "the report phrase is in note: " + obs);
            trackingUids.add(obs.path("identifier").get(0).path("value").asText());
        }
        assertEquals(study.phantom().lesions().size(), trackingUids.size(),
                "one finding Observation per described lesion: " + report.path("conclusion").asText());
        for (String t : trackingUids) assertTrue(t.startsWith("urn:oid:2."), t);

        // the console's study page: each report sentence with where it was found, and the report's FHIR link resolving
        String page = http.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + "/console/studies/" + uid)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("id=\"findings\""), page);
        int located = page.split("<td>yes \\(Finding ", -1).length - 1;
        assertEquals(study.phantom().lesions().size(), located, "one located row per described lesion: " + page);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(/fhir/DiagnosticReport/[^\"]+)\"").matcher(page);
        assertTrue(link.find(), page);
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + link.group(1))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        // the key image of the located findings: a PNG of the source slice with coloured outlines over its grey
        java.util.regex.Matcher img = java.util.regex.Pattern.compile("id=\"grounding-key-image\" src=\"([^\"]+)\"").matcher(page);
        assertTrue(img.find(), page);
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl()
                + img.group(1).replace("&amp;", "&"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
        int coloured = 0;
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                int rgb = picture.getRGB(x, y), r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
                if (Math.abs(r - g) > 40 || Math.abs(g - b) > 40) coloured++;
            }
        }
        assertTrue(coloured > 10, "outlines drawn: " + coloured + " coloured pixels");
    }

    /** Orthanc indexes asynchronously to Tessera's delivery: wait until it lists the series (bounded). */
    private static JsonNode awaitSeries(String studyUid, String modality, int count) {
        AtomicReference<JsonNode> series = new AtomicReference<>();
        try {
            return Awaits.within(Duration.ofMinutes(3), Duration.ofMillis(250)).until(() -> {
                series.set(JSON.readTree(orthanc.findSeries(studyUid, modality)));
                return series.get();
            }, s -> s.size() >= count);
        } catch (ConditionTimeoutException e) {
            return fail(modality + ": expected " + count + " series in Orthanc, found " + series.get());
        }
    }

    private static JsonNode awaitFindingReport(String base, PhantomStudy study) throws Exception {
        JsonNode patients = get(base + "/Patient?identifier=PHANTOM-" + study.phantom().spec().seed());
        String patientId = patients.path("entry").get(0).path("resource").path("id").asText();
        JsonNode bundle = get(base + "/DiagnosticReport?patient=" + patientId);
        assertEquals(1, bundle.path("entry").size(), bundle.toString());
        return bundle.path("entry").get(0).path("resource");
    }

    private static List<Path> resultFiles(String studyUid) throws Exception {
        try (Stream<Path> s = Files.list(work.resolve("results").resolve(studyUid))) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static String sendOru(PhantomStudy study, String controlId) throws Exception {
        List<String> segments = new ArrayList<>(List.of(
                "MSH|^~\\&|RIS|HOSP|TESSERA|AI|20260101090000||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1",
                "PID|1||" + study.study().patientId() + "^^^HOSP",
                "OBR|1|PL-" + controlId + "|" + study.study().accessionNumber() + "|CT^CT CHEST ABDOMEN|||20260101083000||||||||||||||||CT|F"));
        int n = 1;
        for (String line : study.phantom().reportText().split("\n")) {
            if (!line.isBlank()) segments.add("OBX|" + n++ + "|TX|18782-3^Report^LN||" + line.replace("|", " ") + "||||||F");
        }
        String oru = String.join("\r", segments) + "\r";
        String ack = MllpClient.exchange(hl7Port, oru);
        int msa = ack.indexOf("MSA|");
        assertTrue(msa >= 0, ack);
        return ack.substring(msa + 4, msa + 6);
    }


    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return JSON.readTree(r.body());
    }
}
