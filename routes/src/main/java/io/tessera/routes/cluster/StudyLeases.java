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

/**
 * Which node processes a study version: a row of {@code study_leases} (owner node, lease until, heartbeat), taken and
 * renewed only by conditional updates, so among nodes sharing the index exactly one holds a live lease. A lease that
 * was not renewed before it ran out belongs to a dead node and may be taken over; each takeover is counted.
 */
public final class StudyLeases {
    private final IndexPool db;
    private final String node;
    private final Duration lease;
    private final Clock clock;

    public StudyLeases(IndexPool db, String node, Duration lease, Clock clock) {
        this.db = db;
        this.node = node;
        this.lease = lease;
        this.clock = clock;
    }

    public String node() {
        return node;
    }

    /** Takes the lease of {@code version} unless another node holds a live one. */
    public Lease acquire(String studyUid, int version) {
        return IndexTables.sql("TSR-1000: cannot take the lease of study " + studyUid, () -> {
            try {
                return db.inTransaction(c -> acquire(c, studyUid, version, clock.instant()));
            } catch (SQLException e) {
                if (!IndexPool.isUniqueViolation(e)) throw e;
                // Someone inserted the row between our look and our insert: another worker taking the lease, or the
                // ingest node recording its publication just after the message reached us (no owner). Look again:
                // taking the second for the first dropped the message and left the study to the sweep for minutes.
                try {
                    return db.inTransaction(c -> acquire(c, studyUid, version, clock.instant()));
                } catch (SQLException again) {
                    if (IndexPool.isUniqueViolation(again)) return Lease.heldBy("another node");
                    throw again;
                }
            }
        });
    }

    private Lease acquire(Connection c, String studyUid, int version, Instant now) throws SQLException {
        String owner;
        Timestamp until;
        int takeovers;
        try (PreparedStatement q = c.prepareStatement("SELECT owner_node, lease_until, takeovers FROM study_leases"
                + " WHERE study_uid = ? AND study_version = ? FOR UPDATE")) {
            q.setString(1, studyUid);
            q.setInt(2, version);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    insert(c, studyUid, version, now);
                    return Lease.fresh(0);
                }
                owner = rs.getString(1);
                until = rs.getTimestamp(2);
                takeovers = rs.getInt(3);
            }
        }
        // An owner whose lease ran out died (or hung past its lease); our own id on a row means an earlier
        // incarnation of this node died holding it (a live job of ours is never asked again: see StudyWorker).
        boolean lapsed = owner != null && (owner.equals(node) || until == null || until.toInstant().isBefore(now));
        if (owner != null && !lapsed) return Lease.heldBy(owner);
        int count = lapsed ? takeovers + 1 : takeovers;
        try (PreparedStatement up = c.prepareStatement("UPDATE study_leases SET owner_node = ?, lease_until = ?,"
                + " heartbeat = ?, takeovers = ? WHERE study_uid = ? AND study_version = ?"
                + " AND (owner_node IS NULL OR lease_until < ? OR owner_node = ?)")) {
            up.setString(1, node);
            up.setTimestamp(2, Timestamp.from(now.plus(lease)));
            up.setTimestamp(3, Timestamp.from(now));
            up.setInt(4, count);
            up.setString(5, studyUid);
            up.setInt(6, version);
            up.setTimestamp(7, Timestamp.from(now));
            up.setString(8, node);
            if (up.executeUpdate() != 1) return Lease.heldBy(owner == null ? "another node" : owner);
        }
        return lapsed ? Lease.takenOver(count) : Lease.fresh(count);
    }

    private void insert(Connection c, String studyUid, int version, Instant now) throws SQLException {
        try (PreparedStatement in = c.prepareStatement("INSERT INTO study_leases (study_uid, study_version, owner_node,"
                + " lease_until, heartbeat, takeovers) VALUES (?, ?, ?, ?, ?, 0)")) {
            in.setString(1, studyUid);
            in.setInt(2, version);
            in.setString(3, node);
            in.setTimestamp(4, Timestamp.from(now.plus(lease)));
            in.setTimestamp(5, Timestamp.from(now));
            in.executeUpdate();
        }
    }

    /** Renews our lease; false when it is no longer ours (it lapsed and another node took it). */
    public boolean heartbeat(String studyUid, int version) {
        Instant now = clock.instant();
        return update("UPDATE study_leases SET lease_until = ?, heartbeat = ? WHERE study_uid = ? AND study_version = ?"
                + " AND owner_node = ?", Timestamp.from(now.plus(lease)), Timestamp.from(now), studyUid, version) == 1;
    }

    /** Gives our lease up (the job finished, failed, or was handed back); the row keeps its takeover count. */
    public void release(String studyUid, int version) {
        update("UPDATE study_leases SET owner_node = NULL, lease_until = NULL WHERE study_uid = ? AND study_version = ?"
                + " AND owner_node = ?", null, null, studyUid, version);
    }

    private int update(String sql, Timestamp a, Timestamp b, String studyUid, int version) {
        return IndexTables.sql("TSR-1000: cannot renew or release the lease of study " + studyUid, () -> db.withConnection(c -> {
            try (PreparedStatement up = c.prepareStatement(sql)) {
                int i = 1;
                if (a != null) up.setTimestamp(i++, a);
                if (b != null) up.setTimestamp(i++, b);
                up.setString(i++, studyUid);
                up.setInt(i++, version);
                up.setString(i, node);
                return up.executeUpdate();
            }
        }));
    }
}
