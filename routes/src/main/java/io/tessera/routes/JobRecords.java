package io.tessera.routes;

import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job record: per study version, series, route and model, who made the result (model name, version, ONNX
 * SHA-256, the execution provider that actually ran) and how the job ended — DONE with its SEG, or FAILED with the
 * stable code and reason. A table {@code jobs} in the index database (H2 or PostgreSQL); a re-run of the same job
 * replaces its row, and two series of one study under one route keep a row each.
 *
 * <p>Tables made before the series was part of the key are migrated ({@code io.tessera.db.V3__JobsPerSeries}); their rows keep an
 * empty series, read back as null.
 */
public final class JobRecords implements AutoCloseable, JobRecordSink {
    /**
     * One job's provenance and outcome; {@code seriesUid} is the source series (null for rows recorded before it was
     * kept), {@code code} the stable error code of a failure (e.g. TSR-0326).
     */
    /**
     * @param segSopInstanceUid the job's (first) result object: its SEG, or the SR of its first classified image
     * @param results           every result object of the job in the order made (one SR per image of a classified
     *                          series); the first is {@code segSopInstanceUid}
     */
    public record JobRecord(String studyUid, int studyVersion, String seriesUid, String route, String model,
                            String modelVersion, String onnxSha256, String provider, String state, String segSopInstanceUid,
                            String code, String reason, Instant finished, List<String> results) {
        public JobRecord {
            results = results == null ? (segSopInstanceUid == null ? List.of() : List.of(segSopInstanceUid)) : List.copyOf(results);
        }

        /** A job with one result object (or none). */
        public JobRecord(String studyUid, int studyVersion, String seriesUid, String route, String model, String modelVersion,
                         String onnxSha256, String provider, String state, String segSopInstanceUid, String code, String reason,
                         Instant finished) {
            this(studyUid, studyVersion, seriesUid, route, model, modelVersion, onnxSha256, provider, state, segSopInstanceUid,
                    code, reason, finished, null);
        }
    }

    private final IndexPool db;
    private final boolean ownsDatabase;

    /** On its own connection pool to {@code jdbcUrl} (user sa, no password), closed with this store. */
    public JobRecords(String jdbcUrl) {
        this(IndexDatabase.of(jdbcUrl));
    }

    /** On its own connection pool to {@code db}, closed with this store. */
    public JobRecords(IndexDatabase db) {
        this(IndexTables.open(db, "TSR-0520: cannot open the job record"), true);
    }

    /** On a shared pool, which stays open when this store closes. */
    public JobRecords(IndexPool pool) {
        this(pool, false);
    }

    private JobRecords(IndexPool db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /**
     * Replaces the row of the same (study, version, series, route, model), if any, in one transaction: delete then
     * insert, which any SQL database runs (no H2-only {@code MERGE ... KEY}).
     */
    @Override
    public synchronized void record(JobRecord r) {
        IndexTables.sql("TSR-0521: cannot record the job", () -> db.inTransaction(c -> {
                delete(c, "jobs", r);
                try (PreparedStatement i = c.prepareStatement("INSERT INTO jobs (study_uid, study_version, series_uid, "
                        + "route, model, model_version, onnx_sha256, provider, state, seg_sop_uid, code, reason, finished) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    i.setString(1, r.studyUid());
                    i.setInt(2, r.studyVersion());
                    i.setString(3, seriesKey(r.seriesUid()));
                    i.setString(4, r.route());
                    i.setString(5, r.model());
                    i.setString(6, r.modelVersion());
                    i.setString(7, r.onnxSha256());
                    i.setString(8, r.provider());
                    i.setString(9, r.state());
                    i.setString(10, r.segSopInstanceUid());
                    i.setString(11, r.code());
                    i.setString(12, r.reason() == null ? null : r.reason().substring(0, Math.min(4000, r.reason().length())));
                    i.setTimestamp(13, Timestamp.from(r.finished()));
                    i.executeUpdate();
                }
                delete(c, "job_results", r);
                try (PreparedStatement i = c.prepareStatement("INSERT INTO job_results (study_uid, study_version, series_uid, "
                        + "route, model, result_index, sop_uid) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (int n = 0; n < r.results().size(); n++) {
                        i.setString(1, r.studyUid());
                        i.setInt(2, r.studyVersion());
                        i.setString(3, seriesKey(r.seriesUid()));
                        i.setString(4, r.route());
                        i.setString(5, r.model());
                        i.setInt(6, n);
                        i.setString(7, r.results().get(n));
                        i.addBatch();
                    }
                    if (!r.results().isEmpty()) i.executeBatch();
                }
                return null;
        }));
    }

    /** Jobs of one study (all versions), newest first. */
    public synchronized List<JobRecord> forStudy(String studyUid) {
        return IndexTables.sql("TSR-0521: cannot read the job record", () -> db.withConnection(c -> {
            List<JobRecord> out = new ArrayList<>();
            java.util.Map<String, List<String>> results = new java.util.HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM job_results WHERE study_uid = ? ORDER BY result_index")) {
                q.setString(1, studyUid);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        results.computeIfAbsent(rs.getInt("study_version") + "|" + rs.getString("series_uid") + "|"
                                + rs.getString("route") + "|" + rs.getString("model"), k -> new ArrayList<>()).add(rs.getString("sop_uid"));
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT * FROM jobs WHERE study_uid = ? ORDER BY study_version DESC, finished DESC, series_uid")) {
                q.setString(1, studyUid);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String series = rs.getString("series_uid");
                        out.add(new JobRecord(rs.getString("study_uid"), rs.getInt("study_version"),
                                series == null || series.isEmpty() ? null : series, rs.getString("route"),
                                rs.getString("model"), rs.getString("model_version"), rs.getString("onnx_sha256"),
                                rs.getString("provider"), rs.getString("state"), rs.getString("seg_sop_uid"),
                                rs.getString("code"), rs.getString("reason"), rs.getTimestamp("finished").toInstant(),
                                results.getOrDefault(rs.getInt("study_version") + "|" + series + "|" + rs.getString("route") + "|"
                                        + rs.getString("model"), List.of())));
                    }
                }
            }
            return out;
        }));
    }

    /** Removes the rows of {@code r}'s job (study version, series, route, model) from {@code table}. */
    private static void delete(java.sql.Connection c, String table, JobRecord r) throws java.sql.SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE study_uid = ? AND study_version = ? "
                + "AND series_uid = ? AND route = ? AND model = ?")) {
            d.setString(1, r.studyUid());
            d.setInt(2, r.studyVersion());
            d.setString(3, seriesKey(r.seriesUid()));
            d.setString(4, r.route());
            d.setString(5, r.model());
            d.executeUpdate();
        }
    }

    /** The series is part of the primary key, so it cannot be NULL: an unknown series is kept as ''. */
    private static String seriesKey(String seriesUid) {
        return seriesUid == null ? "" : seriesUid;
    }

    /**
     * The stable code of a failure: the one it carries ({@link io.tessera.core.Coded}), else the one its message starts
     * with, else null.
     */
    static String codeOf(Throwable failure) {
        if (failure instanceof io.tessera.core.Coded c) return c.code();
        return failure == null ? null : codeOf(failure.getMessage());
    }

    /**
     * The stable code a failure message starts with ({@code TSR-0326: ...}), or null: the fallback for a failure that
     * does not carry its code ({@link io.tessera.core.Coded}).
     */
    static String codeOf(String message) {
        if (message == null) return null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(TSR-\\d{4})").matcher(message);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public synchronized void close() {
        IndexTables.closeIfOwned(db, ownsDatabase);
    }
}
