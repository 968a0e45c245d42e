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

    /** PENDING entries due at {@code now}, oldest first. */
    public synchronized List<OutboxEntry> due(Instant now) {
        return query("WHERE state = 'PENDING' AND next_attempt <= ? ORDER BY id", Timestamp.from(now));
    }

    /** One destination's PENDING entries due at {@code now}, oldest first. */
    public synchronized List<OutboxEntry> due(String destination, Instant now) {
        return query("WHERE destination = ? AND state = 'PENDING' AND next_attempt <= ? ORDER BY id", destination,
                Timestamp.from(now));
    }

    /** The destinations with PENDING entries due at {@code now}, the one with the oldest such entry first. */
    public synchronized List<String> dueDestinations(Instant now) {
        return sql(() -> db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT destination FROM outbox "
                    + "WHERE state = 'PENDING' AND next_attempt <= ? GROUP BY destination ORDER BY MIN(id)")) {
                q.setTimestamp(1, Timestamp.from(now));
                List<String> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        }));
    }

    /**
     * Takes a PENDING entry due at {@code now} for one sender: moves its next attempt to {@code leaseUntil}, so no
     * other node (nor this one) sees it due meanwhile, and a sender that dies lets it fall due again when the lease
     * lapses. A conditional update: of two nodes taking the same entry, exactly one gets true. Standard SQL, no lease
     * column: the entry's next attempt is its lease.
     */
    public synchronized boolean take(long id, Instant now, Instant leaseUntil) {
        return update("UPDATE outbox SET next_attempt = ?, updated = ? WHERE id = ? AND state = 'PENDING' AND next_attempt <= ?",
                Timestamp.from(leaseUntil), now, id, Timestamp.from(now)) == 1;
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
        update("UPDATE outbox SET state = 'SENT', attempts = ?, last_error = NULL, updated = ? WHERE id = ?", attempts, now, id);
    }

    public synchronized void retry(long id, int attempts, Instant next, String error, Instant now) {
        update("UPDATE outbox SET attempts = ?, next_attempt = ?, last_error = ?, updated = ? WHERE id = ?", attempts,
                Timestamp.from(next), clip(error), now, id);
    }

    public synchronized void park(long id, int attempts, String error, Instant now) {
        update("UPDATE outbox SET state = 'PARKED', attempts = ?, last_error = ?, updated = ? WHERE id = ?", attempts, clip(error),
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
