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
 * The persisted outbox: a table {@code outbox} in the index database (H2 or PostgreSQL). An entry is written before
 * any attempt to send it; {@link #enqueue} keeps an existing entry for the same (destination, SOP instance UID)
 * untouched — the table's unique key decides, so a re-run after a crash, or another node enqueueing the same result,
 * never creates a second one nor resends what was SENT.
 *
 * <p>Several delivery nodes may drain one outbox: a node {@link #claim claims} an entry (owner node, lease until)
 * before sending it, and an entry under a live claim is due to no one, so no entry is sent by two nodes at once. A
 * claim ends when the entry is settled (sent, retried later, parked) or when it lapses (its node died mid-send).
 */
public final class OutboxStore implements AutoCloseable {
    private final IndexPool db;
    private final boolean ownsDatabase;

    /** On its own connection pool to {@code jdbcUrl} (user sa, no password), closed with this store. */
    public OutboxStore(String jdbcUrl) {
        this(IndexDatabase.of(jdbcUrl));
    }

    /** On its own connection pool to {@code db}, closed with this store. */
    public OutboxStore(IndexDatabase db) {
        this(IndexTables.open(db, "TSR-0710: cannot open the outbox"), true);
    }

    /** On a shared pool, which stays open when this store closes. */
    public OutboxStore(IndexPool pool) {
        this(pool, false);
    }

    private OutboxStore(IndexPool db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /** Adds a PENDING entry due now unless one exists for (destination, SOP instance UID); returns true if added. */
    public synchronized boolean enqueue(String studyUid, int version, String destination, String sopInstanceUid, String filePath,
                                        Instant now) {
        return sql(() -> db.withConnection(c -> {
            // A plain insert: the unique key (destination, sop_instance_uid) keeps the first entry, whoever wrote it.
            try (PreparedStatement q = c.prepareStatement("""
                    INSERT INTO outbox (study_uid, study_version, destination, file_path, sop_instance_uid, state, attempts,
                      next_attempt, created, updated)
                    VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)""")) {
                q.setString(1, studyUid);
                q.setInt(2, version);
                q.setString(3, destination);
                q.setString(4, filePath);
                q.setString(5, sopInstanceUid);
                q.setTimestamp(6, Timestamp.from(now));
                q.setTimestamp(7, Timestamp.from(now));
                q.setTimestamp(8, Timestamp.from(now));
                return q.executeUpdate() == 1;
            } catch (SQLException e) {
                if (IndexPool.isUniqueViolation(e)) return false;
                throw e;
            }
        }));
    }

    /**
     * As {@link #enqueue}, on the caller's connection and inside its transaction (a FHIR result version and the
     * Subscription notices about it commit together). An entry that exists is left alone by a conditional insert, not
     * by a failing one: on PostgreSQL a failed statement would abort the caller's whole transaction.
     */
    public static boolean enqueueIn(java.sql.Connection c, String studyUid, int version, String destination,
                                    String sopInstanceUid, String filePath, Instant now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                INSERT INTO outbox (study_uid, study_version, destination, file_path, sop_instance_uid, state, attempts,
                  next_attempt, created, updated)
                SELECT ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.destination = ? AND o.sop_instance_uid = ?)""")) {
            q.setString(1, studyUid);
            q.setInt(2, version);
            q.setString(3, destination);
            q.setString(4, filePath);
            q.setString(5, sopInstanceUid);
            q.setTimestamp(6, Timestamp.from(now));
            q.setTimestamp(7, Timestamp.from(now));
            q.setTimestamp(8, Timestamp.from(now));
            q.setString(9, destination);
            q.setString(10, sopInstanceUid);
            return q.executeUpdate() == 1;
        }
    }

    /** An entry is due when it is PENDING, its next attempt has come and no node holds a live claim on it. */
    private static final String DUE = "state = 'PENDING' AND next_attempt <= ? AND (lease_until IS NULL OR lease_until <= ?)";

    /** PENDING entries due at {@code now} and claimed by no live node, oldest first. */
    public synchronized List<OutboxEntry> due(Instant now) {
        return query("WHERE " + DUE + " ORDER BY id", Timestamp.from(now), Timestamp.from(now));
    }

    /** One destination's PENDING entries due at {@code now} and claimed by no live node, oldest first. */
    public synchronized List<OutboxEntry> due(String destination, Instant now) {
        return query("WHERE destination = ? AND " + DUE + " ORDER BY id", destination, Timestamp.from(now),
                Timestamp.from(now));
    }

    /** The destinations with PENDING entries due at {@code now}, the one with the oldest such entry first. */
    public synchronized List<String> dueDestinations(Instant now) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT destination FROM outbox "
                    + "WHERE " + DUE + " GROUP BY destination ORDER BY MIN(id)")) {
                q.setTimestamp(1, Timestamp.from(now));
                q.setTimestamp(2, Timestamp.from(now));
                List<String> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        }));
    }

    /**
     * Claims a due entry for {@code node} until {@code leaseUntil}: no other node (nor this one) sees it due meanwhile,
     * and a node that dies mid-send lets it fall due again when the claim lapses. A conditional update: of two nodes
     * claiming the same entry, exactly one gets true.
     */
    public synchronized boolean claim(long id, String node, Instant now, Instant leaseUntil) {
        return update("UPDATE outbox SET lease_owner = ?, lease_until = ?, updated = ? WHERE id = ? AND " + DUE, node,
                Timestamp.from(leaseUntil), now, id, Timestamp.from(now), Timestamp.from(now)) == 1;
    }

    /**
     * Lets go of claims a node held when it stopped or died, so a restarted node sends its entries again at once instead
     * of after the claim lapses: those of {@code node}, or every claim when {@code node} is null (one node alone: no
     * claim can belong to anyone else). Returns how many were released.
     */
    public synchronized int releaseClaims(String node) {
        return node == null
                ? update("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL")
                : update("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?", node);
    }

    /** A live claim on an entry: which node sends it, until when the claim holds. */
    public record Claim(long id, String destination, String sopInstanceUid, String node, Instant until) {}

    /** The claims live at {@code now}, oldest entry first (for the cluster status). */
    public synchronized List<Claim> claims(Instant now) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, destination, sop_instance_uid, lease_owner, lease_until"
                    + " FROM outbox WHERE state = 'PENDING' AND lease_owner IS NOT NULL AND lease_until > ? ORDER BY id")) {
                q.setTimestamp(1, Timestamp.from(now));
                List<Claim> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claim(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant()));
                    }
                }
                return out;
            }
        }));
    }

    /** The destinations' circuit breakers, kept in the same database so every delivery node sees one breaker each. */
    public DestinationBreakers breakers() {
        return new DestinationBreakers(db);
    }

    /** PENDING and PARKED entries, oldest first. */
    public synchronized List<OutboxEntry> open() {
        return query("WHERE state <> 'SENT' ORDER BY id");
    }

    public synchronized List<OutboxEntry> forStudy(String studyUid, int version) {
        return query("WHERE study_uid = ? AND study_version = ? ORDER BY id", studyUid, version);
    }

    public synchronized java.util.Optional<OutboxEntry> get(long id) {
        return query("WHERE id = ?", id).stream().findFirst();
    }

    public synchronized void sent(long id, int attempts, Instant now) {
        update("UPDATE outbox SET state = 'SENT', attempts = ?, last_error = NULL, updated = ?, lease_owner = NULL,"
                + " lease_until = NULL WHERE id = ?", attempts, now, id);
    }

    public synchronized void retry(long id, int attempts, Instant next, String error, Instant now) {
        update("UPDATE outbox SET attempts = ?, next_attempt = ?, last_error = ?, updated = ?, lease_owner = NULL,"
                + " lease_until = NULL WHERE id = ?", attempts,
                Timestamp.from(next), clip(error), now, id);
    }

    public synchronized void park(long id, int attempts, String error, Instant now) {
        update("UPDATE outbox SET state = 'PARKED', attempts = ?, last_error = ?, updated = ?, lease_owner = NULL,"
                + " lease_until = NULL WHERE id = ?", attempts, clip(error),
                now, id);
    }

    /** PARKED → PENDING, due now, attempts reset; returns false if the entry is not parked. */
    public synchronized boolean replay(long id, Instant now) {
        return update("UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt = ?, created = ?, updated = ? "
                + "WHERE id = ? AND state = 'PARKED'", Timestamp.from(now), now, now, id) == 1;
    }

    /** Replays every PARKED entry of a destination; returns how many. */
    public synchronized int replayDestination(String destination, Instant now) {
        return update("UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt = ?, created = ?, updated = ? "
                + "WHERE destination = ? AND state = 'PARKED'", Timestamp.from(now), now, now, destination);
    }

    private static String clip(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 4000);
    }

    private int update(String statement, Object... args) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement(statement)) {
                bind(q, args);
                return q.executeUpdate();
            }
        }));
    }

    private List<OutboxEntry> query(String where, Object... args) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, study_uid, study_version, destination, file_path, "
                    + "sop_instance_uid, state, attempts, next_attempt, last_error, created, updated FROM outbox " + where)) {
                bind(q, args);
                List<OutboxEntry> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), OutboxEntry.State.valueOf(rs.getString(7)), rs.getInt(8),
                                rs.getTimestamp(9).toInstant(), rs.getString(10), rs.getTimestamp(11).toInstant(),
                                rs.getTimestamp(12).toInstant()));
                    }
                }
                return out;
            }
        }));
    }

    private static void bind(PreparedStatement q, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) q.setTimestamp(i + 1, Timestamp.from(t));
            else q.setObject(i + 1, a);
        }
    }

    private static <T> T sql(IndexTables.Sql<T> body) {
        return IndexTables.sql("TSR-0711: outbox query failed", body);
    }

    @Override
    public synchronized void close() {
        IndexTables.closeIfOwned(db, ownsDatabase);
    }
}
