package io.tessera.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.JobState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema's migrations take over a database made before they existed, keep its rows, and apply once. */
class IndexSchemaTest {
    @TempDir Path dir;

    @Test
    void an_index_made_before_migrations_is_taken_over_with_its_rows() throws Exception {
        String url = StudyIndex.defaultJdbcUrl(dir);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            // the studies table exactly as the stores created it before: state VARCHAR(16), no failed_jobs
            s.execute("""
                    CREATE TABLE studies (
                      study_uid VARCHAR(64) PRIMARY KEY, state VARCHAR(16) NOT NULL, version INT NOT NULL,
                      calling_ae VARCHAR(16), instance_count INT NOT NULL,
                      first_received TIMESTAMP WITH TIME ZONE NOT NULL, last_received TIMESTAMP WITH TIME ZONE NOT NULL,
                      failure_reason VARCHAR(4000), updated TIMESTAMP WITH TIME ZONE NOT NULL)""");
            s.execute("INSERT INTO studies VALUES ('1.2', 'RUNNING', 3, 'CT1', 40, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                    + " NULL, CURRENT_TIMESTAMP)");
        }
        try (StudyIndex index = new StudyIndex(url, dir)) {
            assertEquals(List.of(JobState.RUNNING, 3, 40), List.of(index.study("1.2").orElseThrow().state(),
                    index.study("1.2").orElseThrow().version(), index.study("1.2").orElseThrow().instanceCount()));
            index.recordJobFailure("1.2", 3, "TSR-0204: a series with missing slices");
            index.setState("1.2", 3, JobState.DONE, null);
            assertEquals(JobState.DONE_WITH_FAILURES, index.study("1.2").orElseThrow().state(), "widened and counted");
            index.recordInstance(new InstanceRecord("1.2.9", "1.3", "1.3.1", "1.2.840.10008.5.1.4.1.1.2", "CT", "CT1",
                    dir.resolve("incoming/1.3/1.3.1/1.2.9.dcm"), 1, Instant.now()));
        }
        new StudyIndex(url, dir).close(); // opened again: nothing left to apply
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), appliedVersions(url));
    }

    private static List<String> appliedVersions(String url) throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) versions.add(rs.getString(1));
        }
        return versions;
    }
}
