package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint over real HTTP (Jetty on loopback), two studies of two patients stored. */
class FhirServerTest {
    @TempDir
    static Path dir;
    static Server jetty;
    static String base;
    static FhirResultSet first;
    static FhirResultSet second;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        FhirRepository repo = TestStores.repository(dir);
        first = TestResults.resultSet();
        second = TestResults.MAPPER.map(
                TestResults.segmentation(TestResults.study("1.2.826.0.1.3680043.8.498.30001", "PID-002", "ACC456"),
                        "1.2.826.0.1.3680043.8.498.30002"),
                TestResults.segReference(TestResults.SEG_SOP_UID + ".3"), TestResults.ISSUED, 1);
        repo.store(first);
        repo.store(second);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(FhirServer.servlet(repo)), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) jetty.stop();
    }

    @Test
    void metadata_lists_the_served_resource_types() throws Exception {
        CapabilityStatement cs = get("/metadata", CapabilityStatement.class);
        List<String> types = cs.getRestFirstRep().getResource().stream().map(r -> r.getType()).toList();
        assertTrue(types.containsAll(List.of("DiagnosticReport", "Observation", "Patient", "ImagingStudy", "Device")),
                types.toString());
    }

    @Test
    void reads_a_report_by_id_and_answers_404_for_an_unknown_one() throws Exception {
        DiagnosticReport r = get("/DiagnosticReport/" + first.reportId(), DiagnosticReport.class);
        assertEquals(first.reportId(), r.getIdElement().getIdPart());
        assertEquals(404, send("/DiagnosticReport/does-not-exist").statusCode());
    }

    @Test
    void every_stored_resource_can_be_read() throws Exception {
        for (String ref : first.references()) assertEquals(200, send("/" + ref).statusCode(), ref);
    }

    @Test
    void searches_reports_by_patient_subject_identifier_status_date_study_and_accession() throws Exception {
        String patientId = first.patient().getIdElement().getIdPart();
        String reportUid = first.report().getIdentifierFirstRep().getValue();
        String studyRef = "ImagingStudy/" + first.imagingStudy().getIdElement().getIdPart();
        List<String> only = List.of(first.reportId());
        assertEquals(only, reportIds("patient=" + patientId));
        assertEquals(only, reportIds("patient=Patient/" + patientId));
        assertEquals(only, reportIds("subject=Patient/" + patientId));
        assertEquals(only, reportIds("identifier=" + q("urn:dicom:uid|" + reportUid)));
        assertEquals(only, reportIds("identifier=" + q(reportUid)));
        assertEquals(only, reportIds("imaging-study=" + studyRef));
        assertEquals(only, reportIds("accession=ACC123"));
        assertEquals(only, reportIds("patient=" + patientId + "&status=preliminary&date=ge2024-03-15&date=le2024-03-15"));
        assertEquals(2, reportIds("status=preliminary").size());
        assertEquals(2, reportIds("date=eq2024-03-15").size());
        assertEquals(2, reportIds("date=" + q("gt2024-03-15T10:00:00+01:00")).size());
        assertEquals(List.of(), reportIds("date=lt2024-03-15"));
        assertEquals(List.of(), reportIds("status=final"));
        assertEquals(List.of(), reportIds("identifier=" + q("urn:other|" + reportUid)));
    }

    @Test
    void searches_observations_by_patient_subject_code_and_identifier() throws Exception {
        String patientId = first.patient().getIdElement().getIdPart();
        String tracking = first.observations().get(0).getIdentifierFirstRep().getValue();
        assertEquals(2, search("/Observation?patient=" + patientId).getEntry().size());
        assertEquals(2, search("/Observation?subject=Patient/" + patientId).getEntry().size());
        assertEquals(4, search("/Observation?code=" + q("http://snomed.info/sct|118565006")).getEntry().size());
        assertEquals(0, search("/Observation?code=" + q("http://loinc.org|118565006")).getEntry().size());
        Bundle byId = search("/Observation?identifier=" + q("urn:dicom:uid|" + tracking));
        assertEquals(first.observations().get(0).getIdElement().getIdPart(),
                byId.getEntryFirstRep().getResource().getIdElement().getIdPart());
    }

    @Test
    void searches_patients_and_imaging_studies_by_identifier() throws Exception {
        Bundle patients = search("/Patient?identifier=" + q(FhirResultMapper.DEFAULT_PATIENT_ID_SYSTEM + "|PID-002"));
        assertEquals(List.of(second.patient().getIdElement().getIdPart()), ids(patients));
        Bundle studies = search("/ImagingStudy?identifier=" + q("urn:dicom:uid|urn:oid:" + TestResults.STUDY_UID));
        assertEquals(List.of(first.imagingStudy().getIdElement().getIdPart()), ids(studies));
        assertEquals(ids(studies), ids(search("/ImagingStudy?identifier=ACC123")));
    }

    private static List<String> reportIds(String query) throws Exception {
        return ids(search("/DiagnosticReport?" + query));
    }

    private static List<String> ids(Bundle b) {
        return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).sorted().toList();
    }

    private static Bundle search(String path) throws Exception {
        Bundle b = get(path, Bundle.class);
        assertEquals(Bundle.BundleType.SEARCHSET, b.getType());
        return b;
    }

    private static <T extends Resource> T get(String path, Class<T> type) throws Exception {
        HttpResponse<String> r = send(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return FhirContexts.r4().newJsonParser().parseResource(type, r.body());
    }

    private static HttpResponse<String> send(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/fhir+json").GET().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
