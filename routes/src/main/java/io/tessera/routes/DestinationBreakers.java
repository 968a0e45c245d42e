package io.tessera.routes;

import io.tessera.listener.IndexPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The circuit breakers of the destinations, one row each in {@code destination_breakers} of the index database, so
 * that every delivery node of a cluster sees the same breaker: failures counted on one node add to those of another,
 * a circuit one node opened holds the others back, and only the node that takes the probe turn (a conditional update
 * of {@code probe_at}) sends the C-ECHO. A destination without a row is closed with no failure counted.
 */
public final class DestinationBreakers {
    /** One destination's breaker as stored. */
    public record Breaker(String destination, boolean open, int failures, Instant openedAt, Instant probeAt, int probes) {}

    private final IndexPool db;

    DestinationBreakers(IndexPool db) {
        this.db = db;
    }

    public Optional<Breaker> get(String destination) {
        return query("WHERE destination = ?", destination).stream().findFirst();
    }

    /** Every breaker that has a row, by destination name. */
    public List<Breaker> all() {
        return query("ORDER BY destination");
    }

    public boolean isOpen(String destination) {
        return get(destination).map(Breaker::open).orElse(false);
    }

    /** A send succeeded: the count of consecutive failures starts again (no write when there is nothing to reset). */
    void succeeded(String destination, Instant now) {
        sql(() -> db.withConnection(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE destination_breakers SET failures = 0, updated = ?"
                    + " WHERE destination = ? AND state = 'CLOSED' AND failures <> 0")) {
                up.setTimestamp(1, Timestamp.from(now));
                up.setString(2, destination);
                return up.executeUpdate();
            }
        }));
    }

    /**
     * Counts one retryable failure, whichever node saw it; at {@code threshold} consecutive failures a closed circuit
     * opens with its first probe at {@code firstProbe}. Returns true if the circuit is open afterwards (opened now or
     * by another node before).
     */
    boolean failed(String destination, Instant now, int threshold, Instant firstProbe) {
        return sql(() -> {
            try {
                return db.inTransaction(c -> countFailure(c, destination, now, threshold, firstProbe));
            } catch (SQLException e) {
                // another node inserted the destination's first row a moment before: count on that row
                if (!IndexPool.isUniqueViolation(e)) throw e;
                return db.inTransaction(c -> countFailure(c, destination, now, threshold, firstProbe));
            }
        });
    }

    private static boolean countFailure(Connection c, String destination, Instant now, int threshold, Instant firstProbe)
            throws SQLException {
        int failures;
        boolean open;
        try (PreparedStatement q = c.prepareStatement("SELECT state, failures FROM destination_breakers WHERE destination = ?"
                + " FOR UPDATE")) {
            q.setString(1, destination);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    open = "OPEN".equals(rs.getString(1));
                    failures = rs.getInt(2) + 1;
                } else {
                    open = false;
                    failures = 1;
                    try (PreparedStatement in = c.prepareStatement("INSERT INTO destination_breakers (destination, state,"
                            + " failures, probes, updated) VALUES (?, 'CLOSED', 0, 0, ?)")) {
                        in.setString(1, destination);
                        in.setTimestamp(2, Timestamp.from(now));
                        in.executeUpdate();
                    }
                }
            }
        }
        boolean opens = !open && failures >= threshold;
        try (PreparedStatement up = c.prepareStatement(opens
                ? "UPDATE destination_breakers SET failures = ?, updated = ?, state = 'OPEN', opened_at = ?, probe_at = ?,"
                  + " probes = 0 WHERE destination = ?"
                : "UPDATE destination_breakers SET failures = ?, updated = ? WHERE destination = ?")) {
            int i = 1;
            up.setInt(i++, failures);
            up.setTimestamp(i++, Timestamp.from(now));
            if (opens) {
                up.setTimestamp(i++, Timestamp.from(now));
                up.setTimestamp(i++, Timestamp.from(firstProbe));
            }
            up.setString(i, destination);
            up.executeUpdate();
        }
        return open || opens;
    }

    /**
     * Takes the probe turn of an open circuit whose probe is due: moves {@code probe_at} to {@code holdUntil}, so no
     * other node probes meanwhile (nor again if this one dies mid-probe, until then). Exactly one of several nodes
     * asking at once gets true.
     */
    boolean takeProbe(String destination, Instant now, Instant holdUntil) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE destination_breakers SET probe_at = ?, updated = ?"
                    + " WHERE destination = ? AND state = 'OPEN' AND probe_at <= ?")) {
                up.setTimestamp(1, Timestamp.from(holdUntil));
                up.setTimestamp(2, Timestamp.from(now));
                up.setString(3, destination);
                up.setTimestamp(4, Timestamp.from(now));
                return up.executeUpdate() == 1;
            }
        }));
    }

    /** The probe failed: counts it and sets the next probe from the count ({@code nextProbe} of probes so far). */
    Instant probeFailed(String destination, Instant now, IntFunction<Instant> nextProbe) {
        return sql(() -> db.inTransaction(c -> {
            int probes;
            try (PreparedStatement q = c.prepareStatement("SELECT probes FROM destination_breakers WHERE destination = ?"
                    + " FOR UPDATE")) {
                q.setString(1, destination);
                try (ResultSet rs = q.executeQuery()) {
                    probes = rs.next() ? rs.getInt(1) + 1 : 1;
                }
            }
            Instant next = nextProbe.apply(probes);
            try (PreparedStatement up = c.prepareStatement("UPDATE destination_breakers SET probes = ?, probe_at = ?,"
                    + " updated = ? WHERE destination = ? AND state = 'OPEN'")) {
                up.setInt(1, probes);
                up.setTimestamp(2, Timestamp.from(next));
                up.setTimestamp(3, Timestamp.from(now));
                up.setString(4, destination);
                up.executeUpdate();
            }
            return next;
        }));
    }

    /** The destination answers again (or an operator replayed it): closed, nothing counted. */
    void close(String destination, Instant now) {
        sql(() -> db.withConnection(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE destination_breakers SET state = 'CLOSED', failures = 0,"
                    + " probes = 0, opened_at = NULL, probe_at = NULL, updated = ? WHERE destination = ?")) {
                up.setTimestamp(1, Timestamp.from(now));
                up.setString(2, destination);
                return up.executeUpdate();
            }
        }));
    }

    private List<Breaker> query(String where, Object... args) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT destination, state, failures, opened_at, probe_at, probes"
                    + " FROM destination_breakers " + where)) {
                for (int i = 0; i < args.length; i++) q.setObject(i + 1, args[i]);
                List<Breaker> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Breaker(rs.getString(1), "OPEN".equals(rs.getString(2)), rs.getInt(3),
                                instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getInt(6)));
                    }
                }
                return out;
            }
        }));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static <T> T sql(IndexTables.Sql<T> body) {
        return IndexTables.sql("TSR-1020: destination breaker query failed", body);
    }
}
