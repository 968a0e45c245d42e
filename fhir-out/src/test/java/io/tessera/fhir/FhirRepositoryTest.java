package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.ModelIdentity;
import io.tessera.core.Segmentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FhirRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void stored_resources_are_served_again_after_a_restart() throws IOException {
        FhirResultSet set = TestResults.resultSet();
        assertTrue(TestStores.repository(dir).store(set).isPresent());
        FhirRepository reopened = TestStores.repository(dir);
        assertEquals(set.references().stream().sorted().toList(), reopened.references());
        String json = reopened.readJson("DiagnosticReport", set.reportId()).orElseThrow();
        assertTrue(json.contains("18748-4"), json);
        assertTrue(json.contains("\"versionId\":\"1\""), json);
    }

    @Test
    void a_newer_study_version_amends_the_report_and_retracts_the_old_observations() throws IOException {
        FhirRepository repo = TestStores.repository(dir);
        FhirResultSet v1 = version(1);
        FhirResultSet v2 = version(2);
        repo.store(v1);
        assertTrue(repo.store(v2).isPresent());
        assertEquals(v1.reportId(), v2.reportId(), "one report for the life of the study");
        DiagnosticReport report = (DiagnosticReport) repo.read("DiagnosticReport", v2.reportId()).orElseThrow();
        assertEquals(DiagnosticReport.DiagnosticReportStatus.AMENDED, report.getStatus());
        assertEquals("2", report.getMeta().getVersionId());
        DiagnosticReport first = (DiagnosticReport) repo.vread("DiagnosticReport", v1.reportId(), 1).orElseThrow();
        assertEquals(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY, first.getStatus());
        for (Observation o : v1.observations()) {
            Observation now = (Observation) repo.read("Observation", o.getIdElement().getIdPart()).orElseThrow();
            assertEquals(Observation.ObservationStatus.ENTEREDINERROR, now.getStatus(), "nothing read disappears");
            assertEquals(2, repo.history("Observation", o.getIdElement().getIdPart()).size());
        }
        for (Observation o : v2.observations()) {
            Observation now = (Observation) repo.read("Observation", o.getIdElement().getIdPart()).orElseThrow();
            assertEquals(Observation.ObservationStatus.PRELIMINARY, now.getStatus());
        }
    }

    @Test
    void a_result_of_an_older_version_arriving_late_is_ignored() throws IOException {
        FhirRepository repo = TestStores.repository(dir);
        repo.store(version(2));
        assertTrue(repo.store(version(1)).isEmpty());
        for (Observation o : version(1).observations()) {
            assertTrue(repo.read("Observation", o.getIdElement().getIdPart()).isEmpty());
        }
    }

    @Test
    void storing_the_same_result_twice_makes_no_new_version() throws IOException {
        FhirRepository repo = TestStores.repository(dir);
        repo.store(TestResults.resultSet());
        repo.store(TestResults.resultSet());
        assertEquals(TestResults.resultSet().references().size(), repo.references().size());
        assertEquals(1, repo.history("DiagnosticReport", TestResults.resultSet().reportId()).size());
    }

    @Test
    void a_redelivered_amendment_stays_amended() throws IOException {
        FhirRepository repo = TestStores.repository(dir);
        repo.store(version(1));
        repo.store(version(2));
        repo.store(version(2));
        assertEquals(2, repo.history("DiagnosticReport", version(2).reportId()).size());
    }

    @Test
    void two_models_on_one_study_share_an_imaging_study_listing_both_seg_series() throws IOException {
        FhirRepository repo = TestStores.repository(dir);
        FhirResultSet a = TestResults.resultSet();
        FhirResultSet b = otherModel(1);
        repo.store(a);
        repo.store(b);
        ImagingStudy s = (ImagingStudy) repo.read("ImagingStudy", a.imagingStudy().getIdElement().getIdPart()).orElseThrow();
        assertEquals(3, s.getNumberOfSeries());
        assertEquals(2, s.getMeta().getVersionId().equals("2") ? 2 : -1, "the second model's series is a new version");
    }

    @Test
    void result_sets_kept_as_files_by_an_earlier_version_are_taken_over() throws IOException {
        Path old = Files.createDirectories(dir.resolve("fhir"));
        FhirResultSet v1 = TestResults.resultSet();
        Files.writeString(old.resolve(v1.key() + ".json"), v1.bundleJson("urn:tessera:fhir"));
        FhirRepository repo = TestStores.repository(dir);
        assertEquals(1, repo.importFiles(old));
        assertTrue(repo.readJson("DiagnosticReport", v1.reportId()).isPresent());
        assertFalse(Files.exists(old.resolve(v1.key() + ".json")));
        assertEquals(0, repo.importFiles(old), "taken once");
    }

    private static FhirResultSet version(int v) {
        // each study version has its own SEG, so its own tracking UIDs and Observation ids
        return TestResults.MAPPER.map(TestResults.segmentation(),
                TestResults.segReference(TestResults.SEG_SOP_UID + "." + v), TestResults.ISSUED.plusSeconds(v), v);
    }

    private static FhirResultSet otherModel(int v) {
        Segmentation s = TestResults.segmentation();
        Segmentation other = new Segmentation(s.source(), s.labels(), s.segments(),
                new ModelIdentity("organs-lite", "0.9", "cd".repeat(32), "CPU"));
        SegReference seg = SegReference.segmentation("1.2.826.0.1.3680043.8.498.20003", "1.2.826.0.1.3680043.8.498.20004",
                9002, "AI segmentation organs-lite 0.9 - not for clinical use");
        return TestResults.MAPPER.map(other, seg, TestResults.ISSUED.plusSeconds(60), v);
    }

}
