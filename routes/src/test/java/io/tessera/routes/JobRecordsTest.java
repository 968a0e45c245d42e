package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRecordsTest {
    @TempDir Path dir;

    @Test
    void keeps_provenance_and_outcome_across_a_restart_and_a_rerun_replaces_its_row() {
        String url = "jdbc:h2:file:" + dir.resolve("index") + ";DB_CLOSE_ON_EXIT=FALSE";
        Instant t = Instant.parse("2026-11-25T02:00:00Z");
        try (JobRecords r = new JobRecords(url)) {
            r.record(new JobRecords.JobRecord("1.2.3", 1, "ct", "organs", "1.1.0", "ab12", "CPU", "FAILED", null,
                    JobRecords.codeOf("TSR-0326: job timed out after 10m"), "TSR-0326: job timed out after 10m", t));
            r.record(new JobRecords.JobRecord("1.2.3", 1, "ct", "organs", "1.1.0", "ab12", "CPU", "DONE", "1.2.3.9", null, null,
                    t.plusSeconds(60)));
            r.record(new JobRecords.JobRecord("1.2.3", 2, "ct", "organs", "1.1.0", "ab12", "CUDA", "FAILED", null,
                    JobRecords.codeOf("TSR-0323: NaN in the output"), "TSR-0323: NaN in the output", t.plusSeconds(120)));
        }
        try (JobRecords r = new JobRecords(url)) {
            List<JobRecords.JobRecord> jobs = r.forStudy("1.2.3");
            assertEquals(2, jobs.size(), "one row per (study, version, route, model)");
            assertEquals("TSR-0323", jobs.get(0).code());
            assertEquals("CUDA", jobs.get(0).provider());
            assertEquals("DONE", jobs.get(1).state());
            assertEquals("1.2.3.9", jobs.get(1).segSopInstanceUid());
            assertEquals("ab12", jobs.get(1).onnxSha256());
            assertNull(jobs.get(1).code());
        }
        assertNull(JobRecords.codeOf("no code here"));
    }
}
