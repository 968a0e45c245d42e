package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report create over real HTTP (Jetty on loopback); the receiver records what it is given. */
class ReportCreateTest {
    @TempDir static Path dir;
    static Server jetty;
    static String base;
    static final List<ReceivedReport> received = new CopyOnWriteArrayList<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String TEXT = "Findings: 8 mm nodule in the right lower lobe. No pleural effusion.";
    static final String B64 = Base64.getEncoder().encodeToString(TEXT.getBytes(StandardCharsets.UTF_8));

    @BeforeAll
    static void start() throws Exception {
        ReportReceiver receiver = r -> {
            if (r.studyInstanceUid() == null && r.accessionNumber() == null) {
                throw new ReportReceiver.Refused("TSR-0850: the report names neither an accession number nor a Study Instance UID");
            }
            received.add(r);
            return String.valueOf(received.size());
        };
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(FhirServer.servlet(TestStores.repository(dir), receiver)), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) jetty.stop();
    }

    @BeforeEach
    void clear() {
        received.clear();
    }

    static HttpResponse<String> post(String type, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/" + type)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_diagnostic_report_with_accession_study_and_plain_text_form_is_created() throws Exception {
        HttpResponse<String> r = post("DiagnosticReport", """
                {"resourceType":"DiagnosticReport","status":"final",
                 "identifier":[{"system":"urn:oid:1.2.3.99","value":"RPT-1"}],
                 "basedOn":[{"type":"ServiceRequest","identifier":{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"ACSN"}]},"value":"ACC-F1"}}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"18748-4"}]},
                 "imagingStudy":[{"identifier":{"system":"urn:dicom:uid","value":"urn:oid:1.2.826.0.1.3680043.10.5.1"}}],
                 "conclusion":"Nodule.",
                 "presentedForm":[{"contentType":"text/plain; charset=utf-8","data":"%s"},{"contentType":"application/pdf","data":"JVBERg=="}]}
                """.formatted(B64));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElse("").contains("/DiagnosticReport/intake-1"), r.headers().toString());
        ReceivedReport got = received.get(0);
        assertEquals("1.2.826.0.1.3680043.10.5.1", got.studyInstanceUid());
        assertEquals("ACC-F1", got.accessionNumber());
        assertEquals(TEXT, got.text(), "the plain-text form, not the PDF, and not the shorter conclusion");
        assertEquals("urn:oid:1.2.3.99|RPT-1", got.sourceId());
        assertEquals("DiagnosticReport", got.resourceType());
    }

    @Test
    void a_diagnostic_report_with_only_a_conclusion_and_a_contained_imaging_study_is_created() throws Exception {
        HttpResponse<String> r = post("DiagnosticReport", """
                {"resourceType":"DiagnosticReport","status":"preliminary",
                 "contained":[{"resourceType":"ImagingStudy","id":"s1","status":"available","subject":{"display":"x"},
                   "identifier":[{"system":"urn:dicom:uid","value":"urn:oid:1.2.3.4.5"}]}],
                 "code":{"text":"CT chest"},
                 "imagingStudy":[{"reference":"#s1"}],
                 "conclusion":"No acute findings."}
                """);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("1.2.3.4.5", received.get(0).studyInstanceUid());
        assertNull(received.get(0).accessionNumber());
        assertEquals("No acute findings.", received.get(0).text());
    }

    @Test
    void a_document_reference_with_accession_in_context_related_and_base64_text_is_created() throws Exception {
        HttpResponse<String> r = post("DocumentReference", """
                {"resourceType":"DocumentReference","status":"current",
                 "masterIdentifier":{"system":"urn:ietf:rfc:3986","value":"urn:oid:1.2.3.77"},
                 "content":[{"attachment":{"contentType":"text/plain","data":"%s"}}],
                 "context":{"related":[
                   {"identifier":{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"ACSN"}]},"value":"ACC-D1"}},
                   {"identifier":{"system":"urn:dicom:uid","value":"urn:oid:1.2.3.4.6"}}]}}
                """.formatted(B64));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElse("").contains("/DocumentReference/intake-1"));
        ReceivedReport got = received.get(0);
        assertEquals("ACC-D1", got.accessionNumber());
        assertEquals("1.2.3.4.6", got.studyInstanceUid());
        assertEquals(TEXT, got.text());
        assertEquals("urn:ietf:rfc:3986|urn:oid:1.2.3.77", got.sourceId());
    }

    @Test
    void a_report_the_receiver_refuses_or_one_entered_in_error_is_answered_422_with_the_reason() throws Exception {
        HttpResponse<String> r = post("DiagnosticReport", """
                {"resourceType":"DiagnosticReport","status":"final","code":{"text":"CT"},"conclusion":"Text."}""");
        assertEquals(422, r.statusCode(), r.body());
        OperationOutcome oo = FhirContexts.r4().newJsonParser().parseResource(OperationOutcome.class, r.body());
        assertTrue(oo.getIssueFirstRep().getDiagnostics().startsWith("TSR-0850"), r.body());
        HttpResponse<String> e = post("DiagnosticReport", """
                {"resourceType":"DiagnosticReport","status":"entered-in-error","code":{"text":"CT"},"conclusion":"Text.",
                 "imagingStudy":[{"identifier":{"system":"urn:dicom:uid","value":"urn:oid:1.2.3"}}]}""");
        assertEquals(422, e.statusCode(), e.body());
        assertTrue(e.body().contains("TSR-0866"), e.body());
        assertTrue(received.isEmpty());
    }

    @Test
    void read_and_search_still_work_beside_create_and_metadata_lists_create() throws Exception {
        HttpResponse<String> search = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/DiagnosticReport?accession=ACC-F1"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, search.statusCode(), search.body());
        HttpResponse<String> meta = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metadata")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        CapabilityStatement cs = FhirContexts.r4().newJsonParser().parseResource(CapabilityStatement.class, meta.body());
        var dr = cs.getRestFirstRep().getResource().stream().filter(x -> x.getType().equals("DiagnosticReport")).findFirst().orElseThrow();
        List<String> ops = dr.getInteraction().stream().map(i -> i.getCode().toCode()).toList();
        assertTrue(ops.containsAll(List.of("read", "search-type", "create")), ops.toString());
        assertTrue(cs.getRestFirstRep().getResource().stream().anyMatch(x -> x.getType().equals("DocumentReference")));
    }
}
