package io.tessera.routes.cluster;

import io.tessera.listener.IndexPool;
import io.tessera.routes.DestinationBreakers;
import io.tessera.routes.IndexTables;
import io.tessera.routes.OutboxStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator asks of a cluster, read from the shared index database alone (so it answers even when the node
 * asked is not the one doing the work): the nodes with their roles and last heartbeats, how many study versions wait
 * for a worker, which worker holds which study, which delivery node is sending which outbox entry, and the
 * destinations whose circuit is open. No patient data: study UIDs, node ids and times only.
 *
 * @param queued study versions waiting for a worker: QUEUED in the index (each has a message on the broker's queue,
 *               or the sweep republishes it)
 */
public record ClusterStatus(String mode, Instant at, List<NodeRegistry.Node> nodes, long queued, List<StudyLease> leases,
                            List<OutboxStore.Claim> outboxClaims, List<DestinationBreakers.Breaker> openCircuits) {

    /** A worker's live or lapsed hold on a study version. */
    public record StudyLease(String studyUid, int version, String node, Instant until, Instant heartbeat, int takeovers,
                             boolean live) {}

    /** Reads the status as of {@code clock}'s now; a node is live when it beat within the last {@code lease}. */
    public static ClusterStatus read(String mode, IndexPool db, Duration lease, Clock clock) {
        Instant now = clock.instant();
        OutboxStore outbox = new OutboxStore(db);
        return new ClusterStatus(mode, now, new NodeRegistry(db, lease, clock).nodes(), queued(db), leases(db, now),
                outbox.claims(now), outbox.breakers().all().stream().filter(DestinationBreakers.Breaker::open).toList());
    }

    public long liveNodes() {
        return nodes.stream().filter(NodeRegistry.Node::live).count();
    }

    private static long queued(IndexPool db) {
        return IndexTables.sql("TSR-1021: cannot read the cluster status", () -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM studies WHERE state = 'QUEUED'");
                 ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }));
    }

    private static List<StudyLease> leases(IndexPool db, Instant now) {
        return IndexTables.sql("TSR-1021: cannot read the cluster status", () -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT study_uid, study_version, owner_node, lease_until, heartbeat,"
                    + " takeovers FROM study_leases WHERE owner_node IS NOT NULL ORDER BY lease_until, study_uid");
                 ResultSet rs = q.executeQuery()) {
                List<StudyLease> out = new ArrayList<>();
                while (rs.next()) {
                    Instant until = instant(rs.getTimestamp(4));
                    out.add(new StudyLease(rs.getString(1), rs.getInt(2), rs.getString(3), until, instant(rs.getTimestamp(5)),
                            rs.getInt(6), until != null && until.isAfter(now)));
                }
                return out;
            }
        }));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
