package io.tessera.routes;

import io.tessera.core.GroundedFinding;
import io.tessera.listener.IndexPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * What grounding made of a study's report, kept in the index database (table {@code grounded_findings}) so the
 * console can show each sentence next to where it was found, or why it was not. One row per finding, per study
 * version and source series; a re-run of the same version and series replaces its rows.
 */
public final class GroundedFindings {
    /** One finding as the console shows it; {@code site} may be null, size and confidence are 0 when not located. */
    public record Row(int studyVersion, String seriesUid, int index, String trackingId, String phrase, String finding,
                      String site, boolean grounded, String reason, String method, double confidence, double diameterMm,
                      double volumeMl, String groundingSegSopUid) {}

    private final IndexPool db;

    public GroundedFindings(IndexPool db) {
        this.db = db;
    }

    /**
     * Replaces the rows of this study version and series with {@code findings}, in one transaction;
     * {@code groundingSeg} is the SOP Instance UID of the grounding SEG written with them (null when none was).
     */
    public synchronized void replace(String studyUid, int version, String seriesUid, List<GroundedFinding> findings,
                                     String groundingSeg) {
        IndexTables.sql("TSR-0522: cannot record the grounded findings", () -> db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement(
                    "DELETE FROM grounded_findings WHERE study_uid = ? AND study_version = ? AND series_uid = ?")) {
                d.setString(1, studyUid);
                d.setInt(2, version);
                d.setString(3, seriesUid);
                d.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO grounded_findings (study_uid, study_version, "
                    + "series_uid, finding_index, tracking_id, tracking_uid, phrase, finding, site, grounded, reason, method, "
                    + "confidence, diameter_mm, volume_ml, grounding_seg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int n = 0;
                for (GroundedFinding g : findings) {
                    i.setString(1, studyUid);
                    i.setInt(2, version);
                    i.setString(3, seriesUid);
                    i.setInt(4, n++);
                    i.setString(5, cut(g.trackingId(), 400));
                    i.setString(6, g.trackingUid());
                    i.setString(7, cut(g.finding().phrase(), 4000));
                    i.setString(8, cut(g.finding().findingType().meaning(), 200));
                    if (g.finding().site() == null) i.setNull(9, Types.VARCHAR);
                    else i.setString(9, cut(g.finding().site().meaning(), 200));
                    i.setBoolean(10, g.grounded());
                    i.setString(11, g.reason() == null ? null : cut(g.reason(), 4000));
                    i.setString(12, g.method() == null ? null : cut(g.method(), 400));
                    i.setDouble(13, g.confidence());
                    i.setDouble(14, g.maxDiameterMm());
                    i.setDouble(15, g.volumeMl());
                    i.setString(16, groundingSeg);
                    i.addBatch();
                }
                i.executeBatch();
            }
            return null;
        }));
    }

    /** The findings of one study version, by series and order in the report. */
    public synchronized List<Row> forStudy(String studyUid, int version) {
        return IndexTables.sql("TSR-0522: cannot read the grounded findings", () -> db.withConnection(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM grounded_findings WHERE study_uid = ? AND "
                    + "study_version = ? ORDER BY series_uid, finding_index")) {
                q.setString(1, studyUid);
                q.setInt(2, version);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getInt("study_version"), rs.getString("series_uid"), rs.getInt("finding_index"),
                                rs.getString("tracking_id"), rs.getString("phrase"), rs.getString("finding"),
                                rs.getString("site"), rs.getBoolean("grounded"), rs.getString("reason"), rs.getString("method"),
                                rs.getDouble("confidence"), rs.getDouble("diameter_mm"), rs.getDouble("volume_ml"),
                                rs.getString("grounding_seg")));
                    }
                }
            }
            return out;
        }));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
