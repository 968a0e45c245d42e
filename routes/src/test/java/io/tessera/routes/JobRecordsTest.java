package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On embedded H2; {@link JobRecordsPostgresIT} runs the same on a real PostgreSQL. */
class JobRecordsTest {
    static final Instant T = Instant.parse("2026-11-25T02:00:00Z");
    @TempDir Path dir;

    String url() {
        return "jdbc:h2:file:" + dir.resolve("index") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Test
    void keeps_provenance_and_outcome_across_a_restart_and_a_rerun_replaces_its_row() {
        try (JobRecords r = new JobRecords(url())) {
            r.record(job(1, "1.2.3.1", "FAILED", null, "TSR-0326: job timed out after 10m", T));
            r.record(job(1, "1.2.3.1", "DONE", "1.2.3.9", null, T.plusSeconds(60)));
            r.record(new JobRecords.JobRecord("1.2.3", 2, "1.2.3.1", "ct", "organs", "1.1.0", "ab12", "CUDA", "FAILED", null,
                    JobRecords.codeOf("TSR-0323: NaN in the output"), "TSR-0323: NaN in the output", T.plusSeconds(120)));
        }
        try (JobRecords r = new JobRecords(url())) {
            List<JobRecords.JobRecord> jobs = r.forStudy("1.2.3");
            assertEquals(2, jobs.size(), "one row per (study, version, series, route, model)");
            assertEquals("TSR-0323", jobs.get(0).code());
            assertEquals("CUDA", jobs.get(0).provider());
            assertEquals("DONE", jobs.get(1).state());
            assertEquals("1.2.3.1", jobs.get(1).seriesUid());
            assertEquals("1.2.3.9", jobs.get(1).segSopInstanceUid());
            assertEquals("ab12", jobs.get(1).onnxSha256());
            assertNull(jobs.get(1).code());
        }
        assertNull(JobRecords.codeOf("no code here"));
        // a failure that carries its code is not read back from its message; one that does not falls back to the message
        assertEquals("TSR-0401", JobRecords.codeOf(new io.tessera.dicomio.DicomNetworkException(
                io.tessera.dicomio.DicomNetworkException.NO_ASSOCIATION, "cannot connect")));
        assertEquals("TSR-0204", JobRecords.codeOf(new io.tessera.dicomio.SeriesReadException("TSR-0204", "uneven spacing")));
        assertEquals("TSR-0503", JobRecords.codeOf(new IllegalStateException("TSR-0503: model 'x' is not loaded")));
        assertNull(JobRecords.codeOf(new IllegalStateException((String) null)));
        class CodedFailure extends Exception implements io.tessera.core.Coded {
            CodedFailure() {
                super("a message without a code");
            }

            @Override
            public String code() {
                return "TSR-0520";
            }
        }
        assertEquals("TSR-0520", JobRecords.codeOf(new CodedFailure()));
    }

    @Test
    void two_series_of_one_study_under_one_route_keep_a_record_each() {
        try (JobRecords r = new JobRecords(url())) {
            r.record(job(1, "1.2.3.1", "DONE", "1.2.3.91", null, T));
            r.record(job(1, "1.2.3.2", "DONE", "1.2.3.92", null, T.plusSeconds(1)));
            List<JobRecords.JobRecord> jobs = r.forStudy("1.2.3");
            assertEquals(2, jobs.size(), jobs.toString());
            assertEquals(List.of("1.2.3.92", "1.2.3.91"), jobs.stream().map(JobRecords.JobRecord::segSopInstanceUid).toList());
        }
    }

    @Test
    void every_result_object_of_a_job_is_kept_in_order_and_a_rerun_replaces_them() {
        try (JobRecords r = new JobRecords(url())) {
            JobRecords.JobRecord three = new JobRecords.JobRecord("1.2.3", 1, "1.2.3.1", "cxr", "classifier", "1.0.0", "ab12", "CPU",
                    "DONE", "1.2.3.81", null, null, T, List.of("1.2.3.81", "1.2.3.82", "1.2.3.83"));
            r.record(three);
            assertEquals(List.of("1.2.3.81", "1.2.3.82", "1.2.3.83"), r.forStudy("1.2.3").get(0).results());
            r.record(new JobRecords.JobRecord("1.2.3", 1, "1.2.3.1", "cxr", "classifier", "1.0.0", "ab12", "CPU", "DONE",
                    "1.2.3.84", null, null, T.plusSeconds(5), List.of("1.2.3.84")));
            assertEquals(List.of("1.2.3.84"), r.forStudy("1.2.3").get(0).results(), "the rerun's results replace the first run's");
            r.record(job(1, "1.2.3.2", "FAILED", null, "TSR-0326: job timed out after 10m", T));
            assertEquals(List.of(), r.forStudy("1.2.3").stream().filter(j -> j.seriesUid().equals("1.2.3.2")).findFirst()
                    .orElseThrow().results(), "a failed job has none");
        }
    }

    @Test
    void a_failed_job_of_one_series_does_not_replace_the_done_record_of_another() {
        try (JobRecords r = new JobRecords(url())) {
            r.record(job(1, "1.2.3.1", "DONE", "1.2.3.91", null, T));
            r.record(job(1, "1.2.3.2", "FAILED", null, "TSR-0326: job timed out after 10m", T.plusSeconds(1)));
            List<JobRecords.JobRecord> jobs = r.forStudy("1.2.3");
            assertEquals(2, jobs.size(), jobs.toString());
            JobRecords.JobRecord a = jobs.stream().filter(j -> "1.2.3.1".equals(j.seriesUid())).findFirst().orElseThrow();
            assertEquals("DONE", a.state());
            assertEquals("1.2.3.91", a.segSopInstanceUid());
            JobRecords.JobRecord b = jobs.stream().filter(j -> "1.2.3.2".equals(j.seriesUid())).findFirst().orElseThrow();
            assertEquals("FAILED", b.state());
            assertEquals("TSR-0326", b.code());
        }
    }

    @Test
    void a_table_made_with_the_old_key_is_migrated_on_open_and_keeps_its_rows() throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE jobs (
                      study_uid VARCHAR(64) NOT NULL, study_version INT NOT NULL, route VARCHAR(128) NOT NULL,
                      model VARCHAR(128) NOT NULL, model_version VARCHAR(64), onnx_sha256 VARCHAR(64),
                      provider VARCHAR(32), state VARCHAR(16) NOT NULL, seg_sop_uid VARCHAR(64), code VARCHAR(16),
                      reason VARCHAR(4000), finished TIMESTAMP WITH TIME ZONE NOT NULL,
                      PRIMARY KEY (study_uid, study_version, route, model))""");
            s.execute("INSERT INTO jobs VALUES ('1.2.3', 1, 'ct', 'organs', '1.1.0', 'ab12', 'CPU', 'DONE', '1.2.3.90', NULL, NULL, "
                    + "TIMESTAMP WITH TIME ZONE '2026-11-25 01:00:00+00')");
        }
        try (JobRecords r = new JobRecords(url())) {
            JobRecords.JobRecord old = r.forStudy("1.2.3").get(0);
            assertNull(old.seriesUid(), "a row from before the migration has no series");
            assertEquals("1.2.3.90", old.segSopInstanceUid());
            r.record(job(1, "1.2.3.1", "DONE", "1.2.3.91", null, T));
            r.record(job(1, "1.2.3.2", "FAILED", null, "TSR-0326: timed out", T.plusSeconds(1)));
            assertEquals(3, r.forStudy("1.2.3").size(), "the new key holds one row per series");
        }
        try (JobRecords r = new JobRecords(url())) {
            assertEquals(3, r.forStudy("1.2.3").size(), "opening a migrated table again changes nothing");
            r.record(job(1, "1.2.3.2", "DONE", "1.2.3.92", null, T.plusSeconds(2)));
            assertEquals(3, r.forStudy("1.2.3").size(), "a re-run still replaces its own row");
        }
    }

    static JobRecords.JobRecord job(int version, String series, String state, String seg, String reason, Instant finished) {
        return new JobRecords.JobRecord("1.2.3", version, series, "ct", "organs", "1.1.0", "ab12", "CPU", state, seg,
                JobRecords.codeOf(reason), reason, finished);
    }
}
