package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import io.tessera.core.Segmentation;
import io.tessera.core.StudyInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tessera's FHIR endpoint as an EHR uses it, through HAPI's generic client over HTTP: 5 patients, 15 studies (one
 * without an accession number, two re-processed as a second version), 15 DiagnosticReports and 30 Observations.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the tests that add results run last
class EhrQueriesIT {
    static final String PID_SYSTEM = FhirResultMapper.DEFAULT_PATIENT_ID_SYSTEM;
    static final int PATIENTS = 5;
    static final int STUDIES_PER_PATIENT = 3;

    @TempDir
    static Path dir;
    static Server jetty;
    static String base;
    static FhirRepository repo;
    static IGenericClient client;
    static final List<FhirResultSet> firstVersions = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        startOn(TestStores.database(dir));
    }

    static void startOn(javax.sql.DataSource db) throws Exception {
        firstVersions.clear();
        repo = new FhirRepository(db, Clock.systemUTC());
        for (int p = 1; p <= PATIENTS; p++) {
            for (int s = 1; s <= STUDIES_PER_PATIENT; s++) {
                FhirResultSet set = result(p, s, 1);
                repo.store(set);
                firstVersions.add(set);
            }
        }
        repo.store(result(1, 1, 2)); // more instances arrived: re-processed
        repo.store(result(2, 1, 2));
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
        FhirContexts.r4().getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = FhirContexts.r4().newRestfulGenericClient(base);
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) jetty.stop();
    }

    /** Patient p's study s: study date 2024-03-(p*3+s), accession ACC-p-s (none for patient 5's third study). */
    static FhirResultSet result(int p, int s, int version) {
        String studyUid = "1.2.826.0.1.3680043.8.498.5" + p + "0" + s;
        String accession = p == 5 && s == 3 ? "" : "ACC-" + p + "-" + s;
        String day = String.format("202403%02d", p * 3 + s);
        StudyInfo study = new StudyInfo(studyUid, "PID-" + p, "Doe^Pat" + p, "1970010" + p, p % 2 == 0 ? "M" : "F",
                accession, day, "101530", "CT ABDOMEN", "1");
        Segmentation seg = TestResults.segmentation(study, studyUid + ".2");
        SegReference ref = SegReference.segmentation(studyUid + ".9", studyUid + ".9." + version, 9001,
                "AI segmentation abdomen-organs 1.2.0 - not for clinical use");
        return TestResults.MAPPER.map(seg, ref, Instant.parse("2024-04-01T10:00:00Z").plusSeconds(p * 100L + s * 10L + version), version);
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void paging_through_every_observation_gives_each_once_and_the_right_total() throws Exception {
        Bundle page = client.search().forResource(Observation.class).count(7).returnBundle(Bundle.class).execute();
        int total = page.getTotal();
        assertEquals(34, total, "30 first-version observations + 4 of the two second versions");
        Set<String> seen = new HashSet<>();
        int pages = 0;
        repo.store(result(3, 1, 2)); // results keep arriving while the EHR pages: the pages it is reading do not move
        while (true) {
            pages++;
            for (Bundle.BundleEntryComponent e : page.getEntry()) {
                assertTrue(seen.add(e.getResource().getIdElement().getIdPart()), "duplicate on page " + pages);
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) break;
            page = client.loadPage().next(page).execute();
        }
        assertEquals(total, seen.size());
        assertEquals(5, pages);
        Bundle back = client.loadPage().previous(page).execute();
        assertEquals(7, back.getEntry().size());
    }

    @Test
    void reports_by_patient_subject_category_code_status_and_accession() {
        String patient1 = firstVersions.get(0).patient().getIdElement().getIdPart();
        assertEquals(3, reports("DiagnosticReport?patient=" + patient1).size());
        assertEquals(3, reports("DiagnosticReport?subject=Patient/" + patient1).size());
        assertEquals(15, reports("DiagnosticReport?category=RAD&_count=100").size());
        assertEquals(15, reports("DiagnosticReport?category=http://loinc.org|LP29684-5&_count=100").size());
        assertEquals(15, reports("DiagnosticReport?code=http://loinc.org|18748-4&_count=100").size());
        assertEquals(0, reports("DiagnosticReport?code=http://snomed.info/sct|18748-4").size());
        assertEquals(1, reports("DiagnosticReport?accession=ACC-2-3").size());
        assertEquals(1, reports("DiagnosticReport?based-on:identifier=ACC-2-3").size());
        assertEquals(2, reports("DiagnosticReport?status=amended").size());
        assertEquals(13, reports("DiagnosticReport?status:not=amended&_count=100").size());
    }

    @Test
    void or_lists_modifiers_and_missing() {
        assertEquals(15, reports("DiagnosticReport?status=preliminary,amended&_count=100").size());
        assertEquals(2, reports("DiagnosticReport?accession=ACC-1-1,ACC-4-2").size());
        assertEquals(1, reports("DiagnosticReport?based-on:missing=true").size(), "the study without an accession");
        assertEquals(14, reports("DiagnosticReport?based-on:missing=false&_count=100").size());
        assertEquals(4, search("Observation?status=entered-in-error").size(), "the two superseded versions' observations");
        assertEquals(30, search("Observation?status:not=entered-in-error&_count=100").size());
        assertEquals(0, search("Patient?name=doe%20pat").size(), "a prefix of one name part, not of the whole name");
        assertEquals(1, search("Patient?family=DOE&given=pat3").size());
        assertEquals(0, search("Patient?given:exact=pat3").size(), "exact is case-sensitive");
        assertEquals(1, search("Patient?given:exact=Pat3").size());
        assertEquals(5, search("Patient?given:contains=at").size());
    }

    @Test
    void date_prefixes() {
        // study dates 2024-03-04 .. 2024-03-18 (patient p, study s on day 3p+s)
        assertEquals(1, reports("DiagnosticReport?date=2024-03-04").size());
        assertEquals(3, reports("DiagnosticReport?date=ge2024-03-04&date=lt2024-03-07").size());
        assertEquals(3, reports("DiagnosticReport?date=gt2024-03-15&_count=100").size());
        assertEquals(12, reports("DiagnosticReport?date=le2024-03-15&_count=100").size());
        assertEquals(14, reports("DiagnosticReport?date=ne2024-03-04&_count=100").size());
        assertEquals(3, reports("DiagnosticReport?date=sa2024-03-15").size());
        assertEquals(1, reports("DiagnosticReport?date=eb2024-03-05").size());
        assertEquals(15, reports("DiagnosticReport?date=2024-03&_count=100").size(), "a month covers every day in it");
        assertEquals(5, search("Patient?birthdate=ge1970-01-01&birthdate=le1970-01-05").size());
        assertEquals(3, search("ImagingStudy?started=ge2024-03-16&_count=100").size());
        assertEquals(15, search("ImagingStudy?modality=http://dicom.nema.org/resources/ontology/DCM|SEG&_count=100").size());
        assertEquals(0, search("ImagingStudy?modality=MR").size());
    }

    @Test
    void chains_include_and_revinclude() {
        assertEquals(3, reports("DiagnosticReport?subject.identifier=" + PID_SYSTEM + "|PID-3").size());
        assertEquals(3, reports("DiagnosticReport?patient.identifier=PID-4").size());
        assertEquals(3, reports("DiagnosticReport?subject:Patient.name=pat2").size());
        Bundle withResults = client.search().byUrl("DiagnosticReport?accession=ACC-3-2&_include=DiagnosticReport:result")
                .returnBundle(Bundle.class).execute();
        assertEquals(1, matches(withResults).size());
        assertEquals(2, included(withResults).size());
        assertTrue(included(withResults).stream().allMatch(r -> r.startsWith("Observation/")));
        Bundle all = client.search().byUrl("DiagnosticReport?accession=ACC-3-2&_include=*").returnBundle(Bundle.class).execute();
        Set<String> types = new HashSet<>();
        included(all).forEach(r -> types.add(r.substring(0, r.indexOf('/'))));
        assertEquals(Set.of("Observation", "Patient", "ImagingStudy"), types);
        Bundle rev = client.search().byUrl("Patient?identifier=PID-5&_revinclude=DiagnosticReport:subject")
                .returnBundle(Bundle.class).execute();
        assertEquals(1, matches(rev).size());
        assertEquals(3, included(rev).size());
    }

    @Test
    void sort_and_summary_and_elements_and_xml() {
        List<String> dates = new ArrayList<>();
        Bundle sorted = client.search().byUrl("DiagnosticReport?_sort=-date&_count=100").returnBundle(Bundle.class).execute();
        for (Bundle.BundleEntryComponent e : sorted.getEntry()) {
            dates.add(((DiagnosticReport) e.getResource()).getEffectiveDateTimeType().getValueAsString());
        }
        List<String> expected = new ArrayList<>(dates);
        expected.sort(java.util.Comparator.reverseOrder());
        assertEquals(expected, dates);
        Bundle count = client.search().byUrl("Observation?status=preliminary").summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute();
        assertTrue(count.getEntry().isEmpty());
        assertTrue(count.getTotal() >= 30);
        Bundle elements = client.search().byUrl("DiagnosticReport?accession=ACC-1-2").elementsSubset("status")
                .returnBundle(Bundle.class).execute();
        DiagnosticReport slim = (DiagnosticReport) elements.getEntryFirstRep().getResource();
        assertTrue(slim.hasStatus());
        assertFalse(slim.hasConclusion());
        Bundle xml = client.search().byUrl("Patient?identifier=PID-2").encoded(EncodingEnum.XML)
                .returnBundle(Bundle.class).execute();
        assertEquals(1, xml.getEntry().size());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void incremental_polling_by_last_updated() throws Exception {
        String since = new org.hl7.fhir.r4.model.InstantType(new java.util.Date()).getValueAsString();
        Thread.sleep(5); // lastUpdated has millisecond precision
        repo.store(result(4, 3, 2));
        List<DiagnosticReport> changed = reports("DiagnosticReport?_lastUpdated=gt" + since.replace("+", "%2B"));
        assertEquals(1, changed.size());
        assertEquals(DiagnosticReport.DiagnosticReportStatus.AMENDED, changed.get(0).getStatus());
        assertEquals(4, search("Observation?_lastUpdated=gt" + since.replace("+", "%2B")).size(),
                "two new, two retracted");
    }

    @Test
    void a_reprocessed_study_keeps_its_report_with_history_vread_and_etag() throws Exception {
        String id = firstVersions.get(0).reportId();
        DiagnosticReport now = client.read().resource(DiagnosticReport.class).withId(id).execute();
        assertEquals("2", now.getMeta().getVersionId());
        assertEquals(DiagnosticReport.DiagnosticReportStatus.AMENDED, now.getStatus());
        DiagnosticReport v1 = client.read().resource(DiagnosticReport.class).withIdAndVersion(id, "1").execute();
        assertEquals(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY, v1.getStatus());
        Bundle history = client.history().onInstance("DiagnosticReport/" + id).returnBundle(Bundle.class).execute();
        assertEquals(2, history.getEntry().size());
        for (Observation old : firstVersions.get(0).observations()) {
            Observation o = client.read().resource(Observation.class).withId(old.getIdElement().getIdPart()).execute();
            assertEquals(Observation.ObservationStatus.ENTEREDINERROR, o.getStatus());
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "/DiagnosticReport/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("W/\"2\"", first.headers().firstValue("ETag").orElse(""));
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/DiagnosticReport/" + id))
                .header("If-None-Match", "W/\"2\"").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
    }

    @Test
    void what_is_not_supported_answers_400() {
        assertThrows(InvalidRequestException.class, () -> reports("DiagnosticReport?specimen=Specimen/1"));
        assertThrows(InvalidRequestException.class, () -> reports("DiagnosticReport?code:text=imaging"));
        assertThrows(InvalidRequestException.class, () -> reports("DiagnosticReport?_include=DiagnosticReport:encounter"));
        assertThrows(InvalidRequestException.class, () -> reports("DiagnosticReport?_sort=foo"));
    }

    private static List<DiagnosticReport> reports(String url) {
        List<DiagnosticReport> out = new ArrayList<>();
        for (var r : search(url)) out.add((DiagnosticReport) r);
        return out;
    }

    private static List<org.hl7.fhir.r4.model.Resource> search(String url) {
        Bundle b = client.search().byUrl(url).returnBundle(Bundle.class).execute();
        List<org.hl7.fhir.r4.model.Resource> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            if (e.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE) out.add(e.getResource());
        }
        return out;
    }

    private static List<String> matches(Bundle b) {
        return b.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()).toList();
    }

    private static List<String> included(Bundle b) {
        return b.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .map(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()).toList();
    }

    @SuppressWarnings("unused")
    private static Patient patient(int p) {
        return firstVersions.get((p - 1) * STUDIES_PER_PATIENT).patient();
    }
}
