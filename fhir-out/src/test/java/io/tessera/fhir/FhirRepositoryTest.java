package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.ModelIdentity;
import io.tessera.core.Segmentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FhirRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void stored_resources_are_served_again_after_a_restart() throws IOException {
        FhirResultSet set = TestResults.resultSet();
        assertTrue(new FhirRepository(dir).store(set));
        FhirRepository reopened = new FhirRepository(dir);
        assertEquals(set.references().stream().sorted().toList(), reopened.references());
        String json = reopened.readJson("DiagnosticReport", set.reportId()).orElseThrow();
        assertTrue(json.contains("18748-4"), json);
        assertEquals(List.of(set.key() + ".json"), files());
    }

    @Test
    void a_newer_study_version_supersedes_the_older_one() throws IOException {
        FhirRepository repo = new FhirRepository(dir);
        FhirResultSet v1 = version(1);
        FhirResultSet v2 = version(2);
        repo.store(v1);
        assertTrue(repo.store(v2));
        assertTrue(repo.readJson("DiagnosticReport", v1.reportId()).isEmpty());
        assertTrue(repo.readJson("DiagnosticReport", v2.reportId()).isPresent());
        assertEquals(v2.references().stream().sorted().toList(), repo.references());
    }

    @Test
    void a_result_of_an_older_version_arriving_late_is_ignored() throws IOException {
        FhirRepository repo = new FhirRepository(dir);
        repo.store(version(2));
        assertFalse(repo.store(version(1)));
        assertTrue(repo.readJson("DiagnosticReport", version(1).reportId()).isEmpty());
    }

    @Test
    void storing_the_same_result_twice_keeps_one_copy() throws IOException {
        FhirRepository repo = new FhirRepository(dir);
        repo.store(TestResults.resultSet());
        repo.store(TestResults.resultSet());
        assertEquals(TestResults.resultSet().references().size(), repo.references().size());
        assertEquals(1, files().size());
    }

    @Test
    void two_models_on_one_study_share_an_imaging_study_listing_both_seg_series() throws IOException {
        FhirRepository repo = new FhirRepository(dir);
        FhirResultSet a = TestResults.resultSet();
        FhirResultSet b = otherModel(1);
        repo.store(a);
        repo.store(b);
        ImagingStudy s = (ImagingStudy) repo.read("ImagingStudy", a.imagingStudy().getIdElement().getIdPart()).orElseThrow();
        assertEquals(3, s.getNumberOfSeries());
        assertEquals(2, repo.all("DiagnosticReport").size());
    }

    @Test
    void an_older_version_left_by_a_crash_and_temp_files_are_dropped_at_start() throws IOException {
        FhirRepository repo = new FhirRepository(dir);
        FhirResultSet v1 = TestResults.resultSet();
        repo.store(v1);
        byte[] oldFile = Files.readAllBytes(dir.resolve(v1.key() + ".json"));
        repo.store(otherModel(2)); // supersedes v1 of the first model
        Files.write(dir.resolve(v1.key() + ".json"), oldFile); // as if the delete never happened
        Files.writeString(dir.resolve("abc.json.tmp"), "{partial");
        FhirRepository reopened = new FhirRepository(dir);
        assertTrue(reopened.readJson("DiagnosticReport", v1.reportId()).isEmpty());
        assertEquals(List.of(otherModel(2).key() + ".json"), files());
    }

    private static FhirResultSet version(int v) {
        return TestResults.MAPPER.map(TestResults.segmentation(), TestResults.segReference(), TestResults.ISSUED, v);
    }

    private static FhirResultSet otherModel(int v) {
        Segmentation s = TestResults.segmentation();
        Segmentation other = new Segmentation(s.source(), s.labels(), s.segments(),
                new ModelIdentity("organs-lite", "0.9", "cd".repeat(32), "CPU"));
        SegReference seg = SegReference.segmentation("1.2.826.0.1.3680043.8.498.20003", "1.2.826.0.1.3680043.8.498.20004",
                9002, "AI segmentation organs-lite 0.9 - not for clinical use");
        return TestResults.MAPPER.map(other, seg, TestResults.ISSUED.plusSeconds(60), v);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
