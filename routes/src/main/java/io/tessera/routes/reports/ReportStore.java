package io.tessera.routes.reports;

import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.routes.IndexTables;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The persisted reports: table {@code reports} in the index database (H2 or PostgreSQL, as the outbox),
 * and table {@code report_study_accessions}, which remembers the accession numbers of studies whose images were seen,
 * so that a report that names only an accession number finds a study that arrived before it.
 *
 * <p>A report is stored once per (source, sourceId): a resent HL7 message or SR is recognised and not stored twice.
 * Nothing here logs report text.
 */
public final class ReportStore implements AutoCloseable {
    private static final String COLUMNS = "id, study_uid, accession, source, source_id, received, report_text";
    private final IndexPool db;
    private final boolean ownsDatabase;

    /** What {@link #add} did: {@code created} false when an equal (source, sourceId) was stored before. */
    public record Stored(Report report, boolean created) {}

    /** On its own connection pool to {@code jdbcUrl} (user sa, no password), closed with this store. */
    public ReportStore(String jdbcUrl) {
        this(IndexDatabase.of(jdbcUrl));
    }

    /** On its own connection pool to {@code db}, closed with this store. */
    public ReportStore(IndexDatabase db) {
        this(IndexTables.open(db, "TSR-0856: cannot open the report store"), true);
    }

    /** On a shared pool, which stays open when this store closes. */
    public ReportStore(IndexPool pool) {
        this(pool, false);
    }

    private ReportStore(IndexPool db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /** Stores a validated report unless one with the same (source, sourceId) exists; identifiers blank → null. */
    public synchronized Stored add(String studyUid, String accession, ReportSource source, String sourceId, String text,
                                   Instant received) {
        return sql(() -> db.withConnection(c -> {
            if (sourceId != null) {
                Optional<Report> existing = one(c, "WHERE source = ? AND source_id = ?", source.name(), sourceId);
                if (existing.isPresent()) return new Stored(existing.get(), false);
            }
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO reports (study_uid, accession, source, source_id, received, report_text) VALUES (?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                q.setString(1, blankToNull(studyUid));
                q.setString(2, blankToNull(accession));
                q.setString(3, source.name());
                q.setString(4, sourceId);
                q.setTimestamp(5, Timestamp.from(received));
                q.setString(6, text);
                q.executeUpdate();
                try (ResultSet keys = q.getGeneratedKeys()) {
                    keys.next();
                    return new Stored(new Report(keys.getLong(1), blankToNull(studyUid), blankToNull(accession), source,
                            sourceId, received, text), true);
                }
            } catch (SQLException e) {
                // another node stored the same (source, sourceId) between the look and the insert
                if (sourceId == null || !IndexPool.isUniqueViolation(e)) throw e;
                return new Stored(one(c, "WHERE source = ? AND source_id = ?", source.name(), sourceId).orElseThrow(() -> e),
                        false);
            }
        }));
    }

    public synchronized Optional<Report> get(long id) {
        return sql(() -> db.withConnection(c -> one(c, "WHERE id = ?", id)));
    }

    /**
     * The reports for a study, newest first: those naming its Study Instance UID, and those naming no Study Instance UID
     * whose accession number is {@code accessionNumber} or one {@link #linkStudy linked} to the study. A report that
     * names another Study Instance UID is never returned, even with the same accession number (one order, two studies).
     * Without a Study Instance UID: every report with that accession number. Either argument may be null.
     */
    public synchronized List<Report> findFor(String studyInstanceUid, String accessionNumber) {
        String uid = blankToNull(studyInstanceUid);
        String acc = blankToNull(accessionNumber);
        if (uid == null) return sql(() -> db.withConnection(c -> query(c, "WHERE accession = ? ORDER BY received DESC, id DESC",
                acc)));
        return sql(() -> db.withConnection(c -> query(c, "WHERE study_uid = ? OR (study_uid IS NULL AND (accession = ? OR accession IN "
                + "(SELECT accession FROM report_study_accessions WHERE study_uid = ?))) ORDER BY received DESC, id DESC",
                uid, acc, uid)));
    }

    /** The newest of {@link #findFor}, if any. */
    public Optional<Report> latestFor(String studyInstanceUid, String accessionNumber) {
        return findFor(studyInstanceUid, accessionNumber).stream().findFirst();
    }

    /** Remembers that a study (whose images were seen) has this accession number; blank accession: nothing. */
    public synchronized void linkStudy(String studyInstanceUid, String accessionNumber) {
        String acc = blankToNull(accessionNumber);
        if (acc == null || studyInstanceUid == null || studyInstanceUid.isBlank()) return;
        sql(() -> db.withConnection(c -> {
            // insert unless present: standard SQL (no H2-only MERGE ... KEY); a concurrent twin's insert wins quietly
            try (PreparedStatement q = c.prepareStatement("INSERT INTO report_study_accessions (study_uid, accession)"
                    + " SELECT CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)) WHERE NOT EXISTS"
                    + " (SELECT 1 FROM report_study_accessions WHERE study_uid = ? AND accession = ?)")) {
                q.setString(1, studyInstanceUid);
                q.setString(2, acc);
                q.setString(3, studyInstanceUid);
                q.setString(4, acc);
                return q.executeUpdate();
            } catch (SQLException e) {
                if (IndexPool.isUniqueViolation(e)) return 0;
                throw e;
            }
        }));
    }

    /** The studies {@link #linkStudy linked} to an accession number, in no particular order. */
    public synchronized List<String> studiesFor(String accessionNumber) {
        String acc = blankToNull(accessionNumber);
        if (acc == null) return List.of();
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT study_uid FROM report_study_accessions WHERE accession = ? ORDER BY study_uid")) {
                q.setString(1, acc);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        }));
    }

    private static Optional<Report> one(Connection c, String where, Object... args) throws SQLException {
        return query(c, where, args).stream().findFirst();
    }

    private static List<Report> query(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM reports " + where)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) q.setNull(i + 1, java.sql.Types.VARCHAR);
                else q.setObject(i + 1, args[i]);
            }
            List<Report> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Report(rs.getLong(1), rs.getString(2), rs.getString(3), ReportSource.valueOf(rs.getString(4)),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7)));
                }
            }
            return out;
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static <T> T sql(IndexTables.Sql<T> body) {
        return IndexTables.sql("TSR-0857: report store query failed", body);
    }

    @Override
    public synchronized void close() {
        IndexTables.closeIfOwned(db, ownsDatabase);
    }
}
