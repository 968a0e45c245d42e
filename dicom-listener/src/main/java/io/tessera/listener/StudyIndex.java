package io.tessera.listener;

import io.tessera.core.JobState;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The study index: which instances arrived, which studies exist, in which state and version, and how long each
 * stage took. Every method is one short transaction on a connection borrowed from the {@link IndexPool},
 * under this object's monitor, so one node's read-modify-write of a study stays simple. Between nodes sharing a
 * PostgreSQL index, the database decides: every state change is a conditional update ({@code ... AND state = ?}) that
 * exactly one writer wins, and the quiet-study claim locks its candidates with {@code FOR UPDATE SKIP LOCKED}.
 *
 * <p>The spooled {@code .dcm} file, not the index row, is the durable record of an acknowledged instance: embedded
 * H2 does not fsync every commit, so {@link SpoolRecovery} re-indexes spooled files that a crash left unindexed.
 */
public final class StudyIndex implements AutoCloseable {
    private static final List<JobState> UNFINISHED =
            List.of(JobState.COMPLETE, JobState.QUEUED, JobState.RUNNING, JobState.DELIVERING);

    private final IndexPool db;
    private final boolean ownsDatabase;
    private final Path spoolDir;
    /** In a cluster, where every node reads instances from; null on a single node (they are read from the spool). */
    private final SharedFolder shared;
    private final Clock clock;

    /** Opens its own connection pool on {@code jdbcUrl} (as {@value IndexDatabase#EMBEDDED_USER}), closed with this index. */
    public StudyIndex(String jdbcUrl, Path spoolDir) {
        this(IndexDatabase.of(jdbcUrl), spoolDir, Clock.systemUTC());
    }

    public StudyIndex(String jdbcUrl, Path spoolDir, Clock clock) {
        this(IndexDatabase.of(jdbcUrl), spoolDir, clock);
    }

    public StudyIndex(IndexDatabase db, Path spoolDir) {
        this(db, spoolDir, Clock.systemUTC());
    }

    /**
     * Opens its own connection pool on {@code db}, closed with this index: checks the login (and gives a password-less
     * H2 index its password) and migrates the schema first.
     */
    public StudyIndex(IndexDatabase db, Path spoolDir, Clock clock) {
        this(open(db), true, spoolDir, clock);
    }

    /** On a shared pool, which stays open when this index closes. */
    public StudyIndex(IndexPool db, Path spoolDir, Clock clock) {
        this(db, false, spoolDir, null, clock);
    }

    /**
     * A cluster node's index: on a shared pool, each instance copied from this node's spool to {@code shared} before
     * it is indexed, and every study's instances read from {@code shared}.
     */
    public StudyIndex(IndexPool db, Path spoolDir, SharedFolder shared, Clock clock) {
        this(db, false, spoolDir, shared, clock);
    }

    private StudyIndex(IndexPool db, boolean ownsDatabase, Path spoolDir, Clock clock) {
        this(db, ownsDatabase, spoolDir, null, clock);
    }

    private StudyIndex(IndexPool db, boolean ownsDatabase, Path spoolDir, SharedFolder shared, Clock clock) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
        this.spoolDir = spoolDir.toAbsolutePath().normalize();
        this.shared = shared;
        this.clock = clock;
    }

    private static IndexPool open(IndexDatabase db) {
        try {
            return IndexPool.open(db);
        } catch (IndexException e) {
            throw e.getMessage().startsWith("TSR-0156") ? new IndexException("TSR-0120: cannot open study index: "
                    + e.getMessage(), e) : e;
        }
    }

    /** A JDBC URL for an embedded H2 file database under {@code <spool>/index}. */
    public static String defaultJdbcUrl(Path spoolDir) {
        return "jdbc:h2:file:" + spoolDir.toAbsolutePath().resolve("index").resolve("tessera") + ";DB_CLOSE_ON_EXIT=FALSE";
    }


    /**
     * Records an instance; idempotent by SOP Instance UID. A new instance for a study that is no longer RECEIVING
     * re-opens it as RECEIVING under version + 1 (a late instance supersedes the old results).
     *
     * <p>In a cluster the spooled file is first copied to the shared folder (outside the index's lock: a copy takes
     * time), so the row — which is what lets the study complete — never names a file other nodes cannot read. An
     * instance already indexed is not copied again.
     *
     * @return true if the instance was new
     * @throws IndexException (TSR-1030) the copy to the shared folder failed: nothing indexed; the spool recovery at
     *                        the next start copies and indexes it
     */
    public boolean recordInstance(InstanceRecord r) {
        if (shared != null && !hasInstance(r.sopInstanceUid())) {
            String relative = relative(r.path());
            try {
                shared.copy(spoolDir.resolve(relative), relative);
            } catch (java.io.IOException | RuntimeException e) {
                throw new IndexException("TSR-1030: instance " + r.sopInstanceUid() + " could not be copied to the shared"
                        + " folder " + shared.root() + ": " + e.getMessage(), e);
            }
        }
        return recordRow(r);
    }

    private synchronized boolean recordRow(InstanceRecord r) {
        return inTransactionRetryingDuplicate(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM instances WHERE sop_uid = ?")) {
                q.setString(1, r.sopInstanceUid());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO instances (sop_uid, study_uid, series_uid, sop_class_uid, modality, calling_ae, path,"
                    + " size_bytes, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, r.sopInstanceUid());
                ins.setString(2, r.studyUid());
                ins.setString(3, r.seriesUid());
                ins.setString(4, r.sopClassUid());
                ins.setString(5, r.modality());
                ins.setString(6, r.callingAe());
                ins.setString(7, relative(r.path()));
                ins.setLong(8, r.sizeBytes());
                ins.setTimestamp(9, Timestamp.from(r.received()));
                ins.executeUpdate();
            }
            Timestamp now = Timestamp.from(clock.instant());
            Timestamp received = Timestamp.from(r.received());
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT state FROM studies WHERE study_uid = ? FOR UPDATE")) {
                q.setString(1, r.studyUid());
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        try (PreparedStatement ins = c.prepareStatement(
                                "INSERT INTO studies (study_uid, state, version, calling_ae, instance_count, first_received,"
                                + " last_received, failure_reason, updated, failed_jobs) VALUES (?, 'RECEIVING', 1, ?, 1, ?, ?, NULL, ?, ?)")) {
                            ins.setString(1, r.studyUid());
                            ins.setString(2, r.callingAe());
                            ins.setTimestamp(3, received);
                            ins.setTimestamp(4, received);
                            ins.setTimestamp(5, now);
                            ins.setInt(6, 0);
                            ins.executeUpdate();
                        }
                        return true;
                    }
                    boolean reopen = !JobState.RECEIVING.name().equals(rs.getString(1));
                    String sql = reopen
                            ? "UPDATE studies SET state = 'RECEIVING', version = version + 1, failure_reason = NULL, failed_jobs = 0,"
                              + " instance_count = instance_count + 1, last_received = ?, calling_ae = ?, updated = ?"
                              + " WHERE study_uid = ?"
                            : "UPDATE studies SET instance_count = instance_count + 1,"
                              + " last_received = GREATEST(last_received, ?), calling_ae = ?, updated = ?"
                              + " WHERE study_uid = ?";
                    try (PreparedStatement up = c.prepareStatement(sql)) {
                        up.setTimestamp(1, received);
                        up.setString(2, r.callingAe());
                        up.setTimestamp(3, now);
                        up.setString(4, r.studyUid());
                        up.executeUpdate();
                    }
                    return true;
                }
            }
        });
    }

    /** Moves every RECEIVING study quiet for at least {@code quietPeriod} to COMPLETE and returns their UIDs. */
    public List<String> claimQuietStudies(Instant now, Duration quietPeriod) {
        return claimQuietStudies(now, callingAe -> quietPeriod);
    }

    /** As {@link #claimQuietStudies(Instant, Duration)} with a quiet period chosen per calling AE title. */
    public List<String> claimQuietStudies(Instant now, Function<String, Duration> quietByCallingAe) {
        return claimQuietStudies(now, quietByCallingAe, Instant.EPOCH);
    }

    /**
     * As {@link #claimQuietStudies(Instant, Function)}, counting quiet from {@code resumedAt} for studies last received
     * before it: after a restart the sender may still be (re-)sending, so a study received before the crash waits its
     * whole quiet period again.
     */
    public synchronized List<String> claimQuietStudies(Instant now, Function<String, Duration> quietByCallingAe,
                                                        Instant resumedAt) {
        return inTransaction(c -> {
            List<String> claimed = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT study_uid, calling_ae, last_received FROM studies WHERE state = 'RECEIVING'"
                    + " FOR UPDATE SKIP LOCKED");
                 PreparedStatement up = c.prepareStatement(
                         "UPDATE studies SET state = 'COMPLETE', updated = ? WHERE study_uid = ? AND state = 'RECEIVING'");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Instant last = rs.getTimestamp(3).toInstant();
                    if (last.isBefore(resumedAt)) last = resumedAt;
                    if (!last.plus(quietByCallingAe.apply(rs.getString(2))).isAfter(now)) {
                        up.setTimestamp(1, Timestamp.from(clock.instant()));
                        up.setString(2, rs.getString(1));
                        if (up.executeUpdate() == 1) claimed.add(rs.getString(1));
                    }
                }
            }
            return claimed;
        });
    }

    /**
     * Moves those of {@code studyUids} that are RECEIVING to COMPLETE at once, in one transaction (the release trigger:
     * the association that sent them was released). Studies in any other state are left alone, so a release after a
     * pure duplicate re-send of a finished study does nothing.
     *
     * @return the claimed study UIDs, in the order given
     */
    public List<String> claimNow(java.util.Set<String> studyUids) {
        return claimNow(studyUids, null);
    }

    /**
     * As {@link #claimNow(java.util.Set)}, but only studies whose last instance arrived at or before
     * {@code receivedUpTo} (null: no such condition): an instance that arrived after the release means another
     * association is still sending, and the quiet period decides instead.
     */
    public synchronized List<String> claimNow(java.util.Set<String> studyUids, Instant receivedUpTo) {
        return inTransaction(c -> {
            List<String> claimed = new ArrayList<>();
            String sql = "UPDATE studies SET state = 'COMPLETE', updated = ? WHERE study_uid = ? AND state = 'RECEIVING'"
                    + (receivedUpTo == null ? "" : " AND last_received <= ?");
            try (PreparedStatement up = c.prepareStatement(sql)) {
                for (String uid : studyUids) {
                    up.setTimestamp(1, Timestamp.from(clock.instant()));
                    up.setString(2, uid);
                    if (receivedUpTo != null) {
                        up.setTimestamp(3, Timestamp.from(receivedUpTo));
                    }
                    if (up.executeUpdate() == 1) {
                        claimed.add(uid);
                    }
                }
            }
            return claimed;
        });
    }

    /**
     * COMPLETE → QUEUED for a claimed study. False when the study is no longer COMPLETE (a late instance re-opened it
     * between the claim and this call): it must then not be queued; completion claims it again later.
     */
    public synchronized boolean markQueued(String studyUid) {
        return inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE studies SET state = 'QUEUED', updated = ? WHERE study_uid = ? AND state = 'COMPLETE'")) {
                up.setTimestamp(1, Timestamp.from(clock.instant()));
                up.setString(2, studyUid);
                return up.executeUpdate() == 1;
            }
        });
    }

    /** Sets a study's state whatever its version; {@code reason} is kept for FAILED/PARKED, may be null. */
    public synchronized void setState(String studyUid, JobState state, String reason) {
        inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE studies SET state = ?, failure_reason = ?, updated = ? WHERE study_uid = ?")) {
                up.setString(1, state.name());
                up.setString(2, reason);
                up.setTimestamp(3, Timestamp.from(clock.instant()));
                up.setString(4, studyUid);
                if (up.executeUpdate() == 0) {
                    throw new IndexException("TSR-0121: unknown study " + studyUid, null);
                }
            }
            return null;
        });
    }

    /**
     * Sets a study's state only if it is still at {@code version}: a worker finishing an old version must not
     * overwrite the RECEIVING state of a study that a late instance re-opened.
     *
     * @return false if the study moved on to another version (or does not exist)
     */
    public synchronized boolean setState(String studyUid, int version, JobState state, String reason) {
        return inTransaction(c -> {
            // DONE for a version with failed jobs is DONE_WITH_FAILURES, keeping the recorded failure summary: the
            // outbox settles a study without knowing how its jobs ended.
            try (PreparedStatement up = c.prepareStatement(state == JobState.DONE
                    ? "UPDATE studies SET state = CASE WHEN failed_jobs > 0 THEN 'DONE_WITH_FAILURES' ELSE 'DONE' END,"
                      + " failure_reason = CASE WHEN failed_jobs > 0 THEN failure_reason ELSE ? END, updated = ?"
                      + " WHERE study_uid = ? AND version = ?"
                    // no reason given: a version with failed jobs keeps its failure summary (DELIVERING, then DONE)
                    : "UPDATE studies SET state = ?, failure_reason = COALESCE(CAST(? AS VARCHAR(4000)),"
                      + " CASE WHEN failed_jobs > 0 THEN failure_reason END), updated = ? WHERE study_uid = ? AND version = ?")) {
                int i = 1;
                if (state != JobState.DONE) up.setString(i++, state.name());
                up.setString(i++, reason);
                up.setTimestamp(i++, Timestamp.from(clock.instant()));
                up.setString(i++, studyUid);
                up.setInt(i, version);
                return up.executeUpdate() == 1;
            }
        });
    }

    /**
     * QUEUED or COMPLETE → RUNNING for {@code version}, clearing the version's failures: the one way a study starts
     * processing. False when the study is in any other state (a late instance re-opened it: it is RECEIVING a newer
     * version and must wait its quiet period; another worker took it) — the caller then does nothing.
     */
    public synchronized boolean startRun(String studyUid, int version) {
        return transition(studyUid, version, List.of(JobState.QUEUED, JobState.COMPLETE), JobState.RUNNING,
                ", failed_jobs = 0, failure_reason = NULL");
    }

    /** RUNNING → QUEUED for {@code version}: a stopping server hands a job back; the next start resumes it. */
    public synchronized boolean handBack(String studyUid, int version) {
        return transition(studyUid, version, List.of(JobState.RUNNING), JobState.QUEUED, "");
    }

    /**
     * A final state (DONE, DONE_WITH_FAILURES, FAILED, PARKED) → QUEUED at the same version: processing again
     * (e.g. its report arrived) gives the same output UIDs, so only new results are sent.
     */
    public synchronized boolean requeueFinished(String studyUid, int version) {
        return transition(studyUid, version, List.of(JobState.DONE, JobState.DONE_WITH_FAILURES, JobState.FAILED,
                JobState.PARKED), JobState.QUEUED, "");
    }

    /** Counts one failed job of {@code version} and keeps the first failure's reason for the study's record. */
    public synchronized void recordJobFailure(String studyUid, int version, String reason) {
        inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE studies SET failed_jobs = failed_jobs + 1,"
                    + " failure_reason = COALESCE(failure_reason, ?), updated = ? WHERE study_uid = ? AND version = ?")) {
                up.setString(1, reason);
                up.setTimestamp(2, Timestamp.from(clock.instant()));
                up.setString(3, studyUid);
                up.setInt(4, version);
                up.executeUpdate();
            }
            return null;
        });
    }

    /**
     * At start-up, after recovery: studies caught COMPLETE or RUNNING by a stop or crash go back to QUEUED at their
     * version (their jobs re-run with the same output UIDs).
     *
     * @return how many studies were handed back
     */
    public synchronized int requeueInterrupted() {
        return inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE studies SET state = 'QUEUED', updated = ? WHERE state IN ('COMPLETE', 'RUNNING')")) {
                up.setTimestamp(1, Timestamp.from(clock.instant()));
                return up.executeUpdate();
            }
        });
    }

    private boolean transition(String studyUid, int version, List<JobState> from, JobState to, String alsoSet) {
        return inTransaction(c -> {
            String in = String.join(", ", from.stream().map(f -> "'" + f.name() + "'").toList());
            try (PreparedStatement up = c.prepareStatement("UPDATE studies SET state = '" + to.name() + "'" + alsoSet
                    + ", updated = ? WHERE study_uid = ? AND version = ? AND state IN (" + in + ")")) {
                up.setTimestamp(1, Timestamp.from(clock.instant()));
                up.setString(2, studyUid);
                up.setInt(3, version);
                return up.executeUpdate() == 1;
            }
        });
    }

    /**
     * Records (or replaces, for a re-run) how long a stage took for one version of a study: update, else insert, in one
     * transaction (standard SQL; run again if another writer inserted the same row first).
     */
    public synchronized void recordStage(String studyUid, int version, String stage, Instant start, Instant end) {
        inTransactionRetryingDuplicate(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE stage_timings SET started = ?, ended = ?, ms = ?"
                    + " WHERE study_uid = ? AND version = ? AND stage = ?")) {
                up.setTimestamp(1, Timestamp.from(start));
                up.setTimestamp(2, Timestamp.from(end));
                up.setLong(3, Duration.between(start, end).toMillis());
                up.setString(4, studyUid);
                up.setInt(5, version);
                up.setString(6, stage);
                if (up.executeUpdate() > 0) return null;
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO stage_timings (study_uid, version, stage, started,"
                    + " ended, ms) VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, studyUid);
                ins.setInt(2, version);
                ins.setString(3, stage);
                ins.setTimestamp(4, Timestamp.from(start));
                ins.setTimestamp(5, Timestamp.from(end));
                ins.setLong(6, Duration.between(start, end).toMillis());
                ins.executeUpdate();
            }
            return null;
        });
    }

    public synchronized Optional<StudyRecord> study(String studyUid) {
        List<StudyRecord> found = queryStudies("WHERE study_uid = ?", studyUid);
        return found.stream().findFirst();
    }

    /** All studies, most recently updated first. */
    public synchronized List<StudyRecord> studies() {
        return queryStudies("");
    }

    /**
     * How many studies are in each state, counted by the database ({@code GROUP BY}): what {@code /metrics} asks at
     * every scrape, without reading every study's row into memory. States with no study are absent.
     */
    public synchronized Map<JobState, Integer> countByState() {
        return inTransaction(c -> {
            Map<JobState, Integer> counts = new java.util.EnumMap<>(JobState.class);
            try (PreparedStatement q = c.prepareStatement("SELECT state, COUNT(*) FROM studies GROUP BY state");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) counts.put(JobState.valueOf(rs.getString(1)), rs.getInt(2));
            }
            return counts;
        });
    }

    /** Studies that a restart must resume: COMPLETE, QUEUED, RUNNING or DELIVERING. */
    public synchronized List<String> unfinished() {
        return inTransaction(c -> {
            List<String> uids = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT study_uid FROM studies WHERE state IN (?, ?, ?, ?) ORDER BY last_received")) {
                for (int i = 0; i < UNFINISHED.size(); i++) {
                    q.setString(i + 1, UNFINISHED.get(i).name());
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        uids.add(rs.getString(1));
                    }
                }
            }
            return uids;
        });
    }

    /** The study's instances with absolute paths, in series then receive order. */
    public synchronized List<InstanceRecord> instances(String studyUid) {
        return inTransaction(c -> {
            List<InstanceRecord> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT * FROM instances WHERE study_uid = ? ORDER BY series_uid, received, sop_uid")) {
                q.setString(1, studyUid);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new InstanceRecord(rs.getString("sop_uid"), rs.getString("study_uid"),
                                rs.getString("series_uid"), rs.getString("sop_class_uid"), rs.getString("modality"),
                                rs.getString("calling_ae"), instanceRoot().resolve(rs.getString("path")),
                                rs.getLong("size_bytes"), rs.getTimestamp("received").toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** True if the SOP instance is indexed (recovery uses this to find spooled files a crash left unindexed). */
    public synchronized boolean hasInstance(String sopInstanceUid) {
        return inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM instances WHERE sop_uid = ?")) {
                q.setString(1, sopInstanceUid);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public Path spoolDir() {
        return spoolDir;
    }

    /** Where indexed instances are read from: the shared folder in a cluster, else this node's spool. */
    public Path instanceRoot() {
        return shared != null ? shared.root() : spoolDir;
    }

    @Override
    public synchronized void close() {
        if (!ownsDatabase) return;
        try {
            db.close();
        } catch (RuntimeException e) {
            throw new IndexException("TSR-0122: closing study index failed", e);
        }
    }

    private List<StudyRecord> queryStudies(String where, String... args) {
        return inTransaction(c -> {
            List<StudyRecord> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT * FROM studies " + where + " ORDER BY updated DESC, study_uid")) {
                for (int i = 0; i < args.length; i++) {
                    q.setString(i + 1, args[i]);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String uid = rs.getString("study_uid");
                        int version = rs.getInt("version");
                        out.add(new StudyRecord(uid, JobState.valueOf(rs.getString("state")), version,
                                rs.getString("calling_ae"), rs.getInt("instance_count"),
                                rs.getTimestamp("first_received").toInstant(),
                                rs.getTimestamp("last_received").toInstant(),
                                Optional.ofNullable(rs.getString("failure_reason")),
                                rs.getTimestamp("updated").toInstant(), stageMillis(c, uid, version)));
                    }
                }
            }
            return out;
        });
    }

    private Map<String, Long> stageMillis(Connection c, String studyUid, int version) throws SQLException {
        Map<String, Long> stages = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT stage, ms FROM stage_timings WHERE study_uid = ? AND version = ? ORDER BY started, stage")) {
            q.setString(1, studyUid);
            q.setInt(2, version);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    stages.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return java.util.Collections.unmodifiableMap(stages);
    }

    private String relative(Path p) {
        Path abs = p.isAbsolute() ? p.normalize() : spoolDir.resolve(p).normalize();
        if (!abs.startsWith(spoolDir)) {
            throw new IndexException("TSR-0123: instance path outside the spool: " + p, null);
        }
        return spoolDir.relativize(abs).toString();
    }

    private <T> T inTransaction(IndexPool.Work<T> work) {
        try {
            return db.inTransaction(work);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof IndexException ie) {
                throw ie;
            }
            throw new IndexException("TSR-0124: study index operation failed: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #inTransaction}, run once more if another writer inserted the same key first (two nodes indexing the
     * first instances of one study at once): the second run finds the row and takes the update path.
     */
    private <T> T inTransactionRetryingDuplicate(IndexPool.Work<T> work) {
        try {
            return inTransaction(work);
        } catch (IndexException e) {
            if (!IndexPool.isUniqueViolation(e)) throw e;
            return inTransaction(work);
        }
    }

    /** True for a cluster node's index, shared with other nodes: see {@link #requireReachable()}. */
    public boolean sharedAcrossNodes() {
        return shared != null;
    }

    /**
     * Asks the database for an answer and nothing else. A cluster node acknowledges an instance only while its index
     * answers: the write-ahead log that makes the instance durable is the node's own, but the study it belongs to
     * lives in the shared index, and a Success that the index never hears of would leave the study to complete
     * without it. Waits at most the pool's connection timeout.
     *
     * @throws IndexUnavailableException (TSR-1032) the database does not answer
     */
    public void requireReachable() {
        try {
            db.withConnection(c -> {
                try (java.sql.Statement q = c.createStatement()) {
                    q.execute("SELECT 1");
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            throw new IndexUnavailableException("TSR-1032: the index database does not answer: " + e.getMessage(), e);
        }
    }

    /** The index database does not answer (a cluster node refuses instances meanwhile, Out of Resources). */
    public static final class IndexUnavailableException extends RuntimeException {
        public IndexUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Unchecked wrapper for index failures; the message carries a stable TSR code. */
    public static final class IndexException extends RuntimeException {
        public IndexException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
