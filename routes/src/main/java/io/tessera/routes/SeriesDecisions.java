package io.tessera.routes;

import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The series each study version's rules matched but skipped, with the reason (see {@link SeriesEligibility}), so that
 * {@code /api/studies} can say why a scout got no SEG. A table {@code series_decisions} in the index database; planning a version again replaces its rows (delete and insert in one transaction: plain SQL that
 * H2 and PostgreSQL both run).
 */
public final class SeriesDecisions implements AutoCloseable, StudyPlanner.SkippedSeriesSink {
    private final IndexPool db;
    private final boolean ownsDatabase;

    /** On its own connection pool to {@code jdbcUrl} (user sa, no password), closed with this store. */
    public SeriesDecisions(String jdbcUrl) {
        this(IndexDatabase.of(jdbcUrl));
    }

    /** On its own connection pool to {@code db}, closed with this store. */
    public SeriesDecisions(IndexDatabase db) {
        this(IndexTables.open(db, "TSR-0530: cannot open the series decisions"), true);
    }

    /** On a shared pool, which stays open when this store closes. */
    public SeriesDecisions(IndexPool pool) {
        this(pool, false);
    }

    private SeriesDecisions(IndexPool db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    @Override
    public synchronized void record(String studyUid, int version, List<SkippedSeries> skipped) {
        IndexTables.sql("TSR-0531: cannot record the skipped series of study " + studyUid, () -> db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement(
                    "DELETE FROM series_decisions WHERE study_uid = ? AND study_version = ?");
                 PreparedStatement i = c.prepareStatement("INSERT INTO series_decisions (study_uid, study_version,"
                         + " route, series_uid, series_number, description, kind, reason, seq_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                d.setString(1, studyUid);
                d.setInt(2, version);
                d.executeUpdate();
                int position = 0;
                for (SkippedSeries s : skipped) {
                    i.setString(1, studyUid);
                    i.setInt(2, version);
                    i.setString(3, s.route());
                    i.setString(4, s.seriesInstanceUid());
                    i.setString(5, cut(s.seriesNumber(), 16));
                    i.setString(6, cut(s.description(), 256));
                    i.setString(7, s.kind());
                    i.setString(8, cut(s.reason(), 1000));
                    i.setInt(9, position++);
                    i.addBatch();
                }
                if (!skipped.isEmpty()) i.executeBatch();
            }
            return null;
        }));
    }

    /** The skipped series of one study version, in the order the planner found them. */
    public synchronized List<SkippedSeries> forStudy(String studyUid, int version) {
        return IndexTables.sql("TSR-0531: cannot read the skipped series of study " + studyUid, () -> db.withConnection(c -> {
            List<SkippedSeries> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM series_decisions WHERE study_uid = ?"
                    + " AND study_version = ? ORDER BY seq_no")) {
                q.setString(1, studyUid);
                q.setInt(2, version);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SkippedSeries(rs.getString("route"), rs.getString("series_uid"), rs.getString("series_number"),
                                rs.getString("description"), rs.getString("kind"), rs.getString("reason")));
                    }
                }
            }
            return out;
        }));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public synchronized void close() {
        IndexTables.closeIfOwned(db, ownsDatabase);
    }
}
