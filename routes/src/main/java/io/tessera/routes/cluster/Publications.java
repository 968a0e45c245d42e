package io.tessera.routes.cluster;

import io.tessera.listener.IndexPool;
import io.tessera.routes.IndexTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When each study version was last put on the queue ({@code study_leases.published}), and which claimed versions no
 * message or live lease covers any more: a RUNNING version whose lease lapsed (its worker died), or a QUEUED one never
 * published (its node died between the claim's commit and the publish) or published long ago (the message was lost).
 * Marking a republication is a conditional update, so when several nodes sweep at once one of them republishes.
 */
public final class Publications {
    /** A QUEUED version may wait behind a long queue: it is republished only after this many lease durations. */
    static final int QUEUED_PATIENCE = 10;
    private final IndexPool db;
    private final Duration after;
    private final Clock clock;

    /** @param after how long a publication covers a version before the sweep may publish it again (the lease) */
    public Publications(IndexPool db, Duration after, Clock clock) {
        this.db = db;
        this.after = after;
        this.clock = clock;
    }

    /** Records a publication made now (after the claim's commit). */
    public void published(StudyVersion v) {
        mark(v, null);
    }

    /** Claims the republication of {@code v}: false if another node republished it within the last lease. */
    public boolean republish(StudyVersion v) {
        return mark(v, clock.instant().minus(after));
    }

    /**
     * Takes back a republication whose send failed (the broker is away: TSR-1003), so that the next sweep tries again
     * instead of taking the version for one on the queue: left marked, a QUEUED version would wait
     * {@value #QUEUED_PATIENCE} leases. Should another node have published it meanwhile, the next sweep only adds a
     * duplicate message, which the worker that gets it drops.
     */
    public void unpublished(StudyVersion v) {
        IndexTables.sql("TSR-1001: cannot record the publication of study " + v.studyUid(), () -> db.withConnection(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE study_leases SET published = NULL WHERE study_uid = ?"
                    + " AND study_version = ?")) {
                up.setString(1, v.studyUid());
                up.setInt(2, v.version());
                return up.executeUpdate();
            }
        }));
    }

    private boolean mark(StudyVersion v, Instant unlessAfter) {
        Timestamp now = Timestamp.from(clock.instant());
        return IndexTables.sql("TSR-1001: cannot record the publication of study " + v.studyUid(), () -> {
            for (int attempt = 0; ; attempt++) {
                try {
                    return db.inTransaction(c -> {
                        if (update(c, v, now, unlessAfter) == 1) return true;
                        if (exists(c, v)) return false;
                        try (PreparedStatement in = c.prepareStatement("INSERT INTO study_leases (study_uid, study_version,"
                                + " published, takeovers) VALUES (?, ?, ?, 0)")) {
                            in.setString(1, v.studyUid());
                            in.setInt(2, v.version());
                            in.setTimestamp(3, now);
                            return in.executeUpdate() == 1;
                        }
                    });
                } catch (SQLException e) {
                    if (attempt > 0 || !IndexPool.isUniqueViolation(e)) throw e; // a node inserted it first: update it
                }
            }
        });
    }

    private static int update(Connection c, StudyVersion v, Timestamp now, Instant unlessAfter) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE study_leases SET published = ? WHERE study_uid = ?"
                + " AND study_version = ?" + (unlessAfter == null ? "" : " AND (published IS NULL OR published < ?)"))) {
            up.setTimestamp(1, now);
            up.setString(2, v.studyUid());
            up.setInt(3, v.version());
            if (unlessAfter != null) up.setTimestamp(4, Timestamp.from(unlessAfter));
            return up.executeUpdate();
        }
    }

    private static boolean exists(Connection c, StudyVersion v) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM study_leases WHERE study_uid = ? AND study_version = ?")) {
            q.setString(1, v.studyUid());
            q.setInt(2, v.version());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Claimed versions (QUEUED or RUNNING) that no live lease holds and no recent publication covers. */
    public List<StudyVersion> orphans() {
        Instant now = clock.instant();
        return IndexTables.sql("TSR-1001: cannot look for unleased studies", () -> db.withConnection(c -> {
            List<StudyVersion> found = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT s.study_uid, s.version FROM studies s LEFT JOIN study_leases l"
                    + " ON l.study_uid = s.study_uid AND l.study_version = s.version"
                    + " WHERE s.state IN ('QUEUED', 'RUNNING') AND (l.owner_node IS NULL OR l.lease_until < ?)"
                    + " AND ((s.state = 'RUNNING' AND (l.published IS NULL OR l.published < ?))"
                    + " OR (s.state = 'QUEUED' AND ((l.published IS NULL AND s.updated < ?) OR l.published < ?)))"
                    + " ORDER BY s.updated, s.study_uid, s.version")) {
                q.setTimestamp(1, Timestamp.from(now));
                q.setTimestamp(2, Timestamp.from(now.minus(after)));
                q.setTimestamp(3, Timestamp.from(now.minus(after)));
                q.setTimestamp(4, Timestamp.from(now.minus(after.multipliedBy(QUEUED_PATIENCE))));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) found.add(new StudyVersion(rs.getString(1), rs.getInt(2)));
                }
            }
            return found;
        }));
    }
}
