package io.tessera.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.routes.reports.Report;
import io.tessera.routes.reports.ReportSource;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.MllpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three network intake paths of a running server (REST, FHIR, HL7 over MLLP) end in the one report store. */
class ReportIntakeIT {
    static final String STUDY = "1.2.826.0.1.3680043.10.4242.1";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path work;
    TesseraServer tessera;
    int hl7Port;

    @BeforeEach
    void start() throws Exception {
        hl7Port = FreePorts.next();
        ServerConfig config = ServerConfig.in(work).completion(null)
                .section("hl7: { enabled: true, bindAddress: 127.0.0.1, port: " + hl7Port + ", accessionField: OBR-3 }");
        tessera = config.start();
    }

    @AfterEach
    void stop() {
        if (tessera != null) tessera.close();
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rest_posts_are_stored_and_answered_202_or_400_with_the_reason() throws Exception {
        HttpResponse<String> ok = post("/api/reports", "application/json",
                "{\"accessionNumber\":\"ACC-R1\",\"studyInstanceUid\":\"" + STUDY + "\",\"text\":\"8 mm nodule, right lower lobe.\"}");
        assertEquals(202, ok.statusCode(), ok.body());
        long id = JSON.readTree(ok.body()).get("id").asLong();
        assertEquals(List.of(STUDY), JSON.convertValue(JSON.readTree(ok.body()).get("studyInstanceUids"), List.class));
        Report stored = tessera.reports().store().get(id).orElseThrow();
        assertEquals("8 mm nodule, right lower lobe.", stored.text());
        assertEquals(ReportSource.REST, stored.source());

        for (String[] bad : new String[][] {
                {"{\"text\":\"no identifier\"}", "TSR-0850"},
                {"{\"accessionNumber\":\"A\"}", "TSR-0851"},
                {"{\"accession\":\"A\",\"text\":\"t\"}", "unknown field 'accession'"},
                {"{\"accessionNumber\":5,\"text\":\"t\"}", "must be a string"},
                {"{\"studyInstanceUid\":\"not-a-uid\",\"text\":\"t\"}", "TSR-0852"},
                {"not json", "TSR-0859: the body is not JSON"}}) {
            HttpResponse<String> r = post("/api/reports", "application/json", bad[0]);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains(bad[1]), r.body());
        }
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(tessera.httpBaseUrl()
                + "/api/reports?studyInstanceUid=" + STUDY)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        JsonNode first = JSON.readTree(list.body()).get(0);
        assertEquals(id, first.get("id").asLong());
        assertEquals(30, first.get("characters").asInt());
        assertFalse(list.body().contains("nodule"), "the listing never carries report text");
    }

    @Test
    void a_fhir_diagnostic_report_and_an_hl7_oru_reach_the_same_store_as_rest() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("FHIR: liver lesion 2 cm.".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> fhir = post("/fhir/DiagnosticReport", "application/fhir+json", """
                {"resourceType":"DiagnosticReport","status":"final","code":{"text":"CT"},
                 "basedOn":[{"identifier":{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"ACSN"}]},"value":"ACC-X"}}],
                 "presentedForm":[{"contentType":"text/plain","data":"%s"}]}""".formatted(b64));
        assertEquals(201, fhir.statusCode(), fhir.body());
        HttpResponse<String> refused = post("/fhir/DocumentReference", "application/fhir+json", """
                {"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"contentType":"text/plain","data":"%s"}}]}"""
                .formatted(b64));
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("TSR-0850"), refused.body());

        String oru = String.join("\r",
                "MSH|^~\\&|RIS|HOSP|TESSERA|AI|20250101120000||ORU^R01^ORU_R01|M-1|P|2.5.1",
                "PID|1||PID-1^^^HOSP||Doe^John",
                "OBR|1|PL-1|ACC-X|71250^CT^CPT|||20250101110000||||||||||||||||CT|F",
                "ZDS|" + STUDY + "^100^Application^DICOM",
                "OBX|1|TX|18782-3^Report^LN||HL7: liver lesion 2 cm, segment VI.||||||F") + "\r";
        String ack = MllpClient.exchange(hl7Port, oru);
        assertTrue(ack.contains("\rMSA|AA|M-1|"), ack);
        {
            List<Report> forStudy = tessera.reports().store().findFor(STUDY, "ACC-X");
            assertEquals(List.of(ReportSource.HL7, ReportSource.FHIR), forStudy.stream().map(Report::source).toList(),
                    "newest first; the FHIR one names no study but shares the accession");
            assertEquals("FHIR: liver lesion 2 cm.", forStudy.get(1).text());
        }
    }

}
