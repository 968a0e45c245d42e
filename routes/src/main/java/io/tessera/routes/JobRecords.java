package io.tessera.routes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job record: per study version, route and model, who made the result (model name, version, ONNX SHA-256, the
 * execution provider that actually ran) and how the job ended — DONE with its SEG, or FAILED with the stable code and
 * reason. A table {@code jobs} in the index database, on its own connection; a re-run replaces its row.
 */
public final class JobRecords implements AutoCloseable {
    /** One job's provenance and outcome; {@code code} is the stable error code of a failure (e.g. TSR-0326). */
    public record JobRecord(String studyUid, int studyVersion, String route, String model, String modelVersion,
                            String onnxSha256, String provider, String state, String segSopInstanceUid, String code,
                            String reason, Instant finished) {}

    private final Connection connection;

    public JobRecords(String jdbcUrl) {
        connection = IndexTables.open(jdbcUrl, "TSR-0520: cannot open the job record", """
                        CREATE TABLE IF NOT EXISTS jobs (
                          study_uid VARCHAR(64) NOT NULL, study_version INT NOT NULL, route VARCHAR(128) NOT NULL,
                          model VARCHAR(128) NOT NULL, model_version VARCHAR(64), onnx_sha256 VARCHAR(64),
                          provider VARCHAR(32), state VARCHAR(16) NOT NULL, seg_sop_uid VARCHAR(64), code VARCHAR(16),
                          reason VARCHAR(4000), finished TIMESTAMP WITH TIME ZONE NOT NULL,
                          PRIMARY KEY (study_uid, study_version, route, model))""");
    }

    public synchronized void record(JobRecord r) {
        try (PreparedStatement m = connection.prepareStatement(
                "MERGE INTO jobs KEY (study_uid, study_version, route, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            m.setString(1, r.studyUid());
            m.setInt(2, r.studyVersion());
            m.setString(3, r.route());
            m.setString(4, r.model());
            m.setString(5, r.modelVersion());
            m.setString(6, r.onnxSha256());
            m.setString(7, r.provider());
            m.setString(8, r.state());
            m.setString(9, r.segSopInstanceUid());
            m.setString(10, r.code());
            m.setString(11, r.reason() == null ? null : r.reason().substring(0, Math.min(4000, r.reason().length())));
            m.setTimestamp(12, Timestamp.from(r.finished()));
            m.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("TSR-0521: cannot record the job: " + e.getMessage(), e);
        }
    }

    /** Jobs of one study (all versions), newest first. */
    public synchronized List<JobRecord> forStudy(String studyUid) {
        List<JobRecord> out = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT * FROM jobs WHERE study_uid = ? ORDER BY study_version DESC, finished DESC")) {
            q.setString(1, studyUid);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRecord(rs.getString("study_uid"), rs.getInt("study_version"), rs.getString("route"),
                            rs.getString("model"), rs.getString("model_version"), rs.getString("onnx_sha256"),
                            rs.getString("provider"), rs.getString("state"), rs.getString("seg_sop_uid"), rs.getString("code"),
                            rs.getString("reason"), rs.getTimestamp("finished").toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("TSR-0521: cannot read the job record: " + e.getMessage(), e);
        }
        return out;
    }

    /** The stable code a failure message starts with ({@code TSR-0326: ...}), or null. */
    static String codeOf(String message) {
        if (message == null) return null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(TSR-\\d{4})").matcher(message);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public synchronized void close() {
        IndexTables.closeQuietly(connection);
    }
}
