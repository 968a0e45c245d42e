package io.tessera.routes.reports;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.listener.InstanceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report intake and the report store on embedded H2; {@link ReportIntakePostgresIT} runs the same on PostgreSQL. */
class ReportIntakeTest {
    @TempDir Path dir;
    ReportStore store;
    final List<Map.Entry<Report, List<String>>> arrived = new ArrayList<>();
    final MutableClock clock = new MutableClock();
    ReportIntake intake;

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2025-01-01T12:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    String url() {
        return "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @BeforeEach
    void setUp() {
        store = new ReportStore(url());
        intake = new ReportIntake(store, (r, s) -> arrived.add(Map.entry(r, s)), clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    IncomingReport rest(String uid, String acc, String text) {
        return new IncomingReport(uid, acc, ReportSource.REST, null, text);
    }

    @Test
    void a_report_before_its_images_is_found_when_the_study_arrives_and_links_its_accession() throws Exception {
        intake.accept(rest(null, "ACC-1", "Liver lesion 2 cm."));
        assertEquals(List.of(), arrived.get(0).getValue(), "no study known yet");
        assertEquals(1, store.findFor("1.2.3", "ACC-1").size(), "matched by the study's accession");
        assertEquals(0, store.findFor("1.2.3", null).size(), "not before the study's accession is known");
        store.linkStudy("1.2.3", "ACC-1");
        assertEquals("Liver lesion 2 cm.", store.latestFor("1.2.3", null).orElseThrow().text());
    }

    @Test
    void a_report_after_its_images_names_the_known_studies_to_the_arrival_hook() throws Exception {
        store.linkStudy("1.2.3", "ACC-2");
        store.linkStudy("1.2.4", "ACC-2");
        ReportIntake.Accepted a = intake.accept(rest(null, "ACC-2", "text"));
        assertEquals(List.of("1.2.3", "1.2.4"), a.studyUids());
        assertEquals(a.studyUids(), arrived.get(0).getValue());
        intake.accept(rest("1.2.9", "ACC-2", "for another study"));
        assertEquals(List.of("1.2.9"), arrived.get(1).getValue(), "an explicit Study Instance UID wins over the accession");
        assertEquals(1, store.findFor("1.2.3", "ACC-2").size(), "a report naming another study is not returned");
        assertEquals(2, store.findFor(null, "ACC-2").size());
    }

    @Test
    void the_newest_report_comes_first_and_reports_survive_a_restart() throws Exception {
        intake.accept(rest("1.2.3", null, "preliminary"));
        clock.now = clock.now.plusSeconds(60);
        intake.accept(rest("1.2.3", null, "final"));
        store.close();
        store = new ReportStore(url());
        List<Report> r = store.findFor("1.2.3", null);
        assertEquals(List.of("final", "preliminary"), r.stream().map(Report::text).toList());
        assertEquals(Instant.parse("2025-01-01T12:01:00Z"), r.get(0).received());
        assertEquals(ReportSource.REST, r.get(0).source());
        assertEquals(r.get(0), store.get(r.get(0).id()).orElseThrow());
    }

    @Test
    void bad_reports_are_refused_with_stable_codes_and_nothing_is_stored() {
        assertCode("TSR-0850", rest(null, " ", "text"));
        assertCode("TSR-0851", rest("1.2.3", null, "  \n "));
        assertCode("TSR-0852", rest("1.2.03", null, "text"));
        assertCode("TSR-0852", rest("abc", null, "text"));
        assertCode("TSR-0853", rest(null, "A".repeat(65), "text"));
        assertCode("TSR-0854", rest("1.2.3", null, "x".repeat(ReportIntake.MAX_TEXT_CHARS + 1)));
        assertTrue(store.findFor("1.2.3", null).isEmpty());
        assertTrue(arrived.isEmpty());
    }

    @Test
    void text_never_appears_in_to_string() throws Exception {
        Report r = intake.accept(rest("1.2.3", "ACC-9", "Doe has a nodule")).report();
        assertFalse(r.toString().contains("nodule"), r.toString());
        assertFalse(rest("1.2.3", null, "Doe has a nodule").toString().contains("nodule"));
    }

    @Test
    void an_sr_in_the_study_is_taken_once_links_the_accession_and_does_not_call_the_hook() throws Exception {
        Path sr = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/reportsi.dcm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(sr), "python3-pydicom test files not installed");
        String study = "1.2.276.0.7230010.3.1.2.1787205428.166.1117461927.5";
        InstanceRecord rec = new InstanceRecord("1.2.276.0.7230010.3.1.4.1787205428.166.1117461927.10", study, "1.2.9",
                "1.2.840.10008.5.1.4.1.1.88.11", "SR", "PACS", sr, Files.size(sr), clock.now);
        InstanceRecord ct = new InstanceRecord("1.2.9.1", study, "1.2.9.2", "1.2.840.10008.5.1.4.1.1.2", "CT", "PACS",
                dir.resolve("missing.dcm"), 0, clock.now);
        StudyReports reports = new StudyReports(intake);
        List<Report> first = reports.forStudy(study, "ACC-SR", List.of(ct, rec));
        List<Report> again = reports.forStudy(study, "ACC-SR", List.of(ct, rec));
        assertEquals(1, first.size());
        assertEquals(first, again, "the same SR is not stored twice");
        assertEquals(ReportSource.SR, first.get(0).source());
        assertEquals("Document Title\n\nSection Heading\nEnter text", first.get(0).text());
        assertEquals(List.of(study), store.studiesFor("ACC-SR"));
        assertTrue(arrived.isEmpty(), "the study is being processed: nothing to re-queue");
    }

    private void assertCode(String code, IncomingReport r) {
        ReportRejected e = assertThrows(ReportRejected.class, () -> intake.accept(r));
        assertTrue(e.getMessage().startsWith(code + ": "), e.getMessage());
    }
}
