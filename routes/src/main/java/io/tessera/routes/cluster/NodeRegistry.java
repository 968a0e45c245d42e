package io.tessera.routes.cluster;

import io.tessera.listener.IndexPool;
import io.tessera.routes.IndexTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The nodes of a cluster ({@code cluster_nodes}): each node beats every heartbeat (update, else insert) and leaves
 * when it stops cleanly; one whose beat is older than a lease is counted as gone.
 */
public final class NodeRegistry {
    /** One node as registered; {@code live} when it beat within the last lease. */
    public record Node(String id, List<String> roles, Instant started, Instant lastHeartbeat, boolean live) {}

    private final IndexPool db;
    private final Clock clock;
    private final Duration lease;

    public NodeRegistry(IndexPool db, Duration lease, Clock clock) {
        this.db = db;
        this.lease = lease;
        this.clock = clock;
    }

    /** Records that {@code node} (with {@code roles}) is alive now. */
    public void beat(String node, List<String> roles) {
        Timestamp now = Timestamp.from(clock.instant());
        String joined = String.join(",", roles);
        IndexTables.sql("TSR-1002: cannot register node " + node, () -> {
            for (int attempt = 0; ; attempt++) {
                try {
                    return db.inTransaction(c -> {
                        try (PreparedStatement up = c.prepareStatement(
                                "UPDATE cluster_nodes SET roles = ?, last_heartbeat = ? WHERE node_id = ?")) {
                            up.setString(1, joined);
                            up.setTimestamp(2, now);
                            up.setString(3, node);
                            if (up.executeUpdate() == 1) return null;
                        }
                        try (PreparedStatement in = c.prepareStatement("INSERT INTO cluster_nodes (node_id, roles, started,"
                                + " last_heartbeat) VALUES (?, ?, ?, ?)")) {
                            in.setString(1, node);
                            in.setString(2, joined);
                            in.setTimestamp(3, now);
                            in.setTimestamp(4, now);
                            in.executeUpdate();
                        }
                        return null;
                    });
                } catch (SQLException e) {
                    if (attempt > 0 || !IndexPool.isUniqueViolation(e)) throw e;
                }
            }
        });
    }

    /** A node that stops cleanly leaves the registry. */
    public void leave(String node) {
        IndexTables.sql("TSR-1002: cannot unregister node " + node, () -> db.withConnection(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM cluster_nodes WHERE node_id = ?")) {
                d.setString(1, node);
                return d.executeUpdate();
            }
        }));
    }

    /** Every registered node, by id. */
    public List<Node> nodes() {
        Instant liveSince = clock.instant().minus(lease);
        return IndexTables.sql("TSR-1002: cannot read the node registry", () -> db.withConnection(c -> {
            List<Node> nodes = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT node_id, roles, started, last_heartbeat FROM cluster_nodes ORDER BY node_id");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Instant beat = rs.getTimestamp(4).toInstant();
                    nodes.add(new Node(rs.getString(1), Arrays.asList(rs.getString(2).split(",")),
                            rs.getTimestamp(3).toInstant(), beat, !beat.isBefore(liveSince)));
                }
            }
            return nodes;
        }));
    }
}
