package io.tessera.routes.cluster;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import io.tessera.core.JobState;
import io.tessera.listener.IndexPool;
import io.tessera.listener.StudyIndex;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a worker does with each queue message, on a real (H2) index with a stand-in processor and queue. */
class StudyWorkerTest {
    @TempDir Path dir;
    IndexPool db;
    StudyIndex index;
    final List<String> processed = new ArrayList<>();
    final List<StudyVersion> dead = new ArrayList<>();
    final AtomicBoolean stopping = new AtomicBoolean();
    final Clock clock = Clock.systemUTC();

    @BeforeEach
    void open() {
        db = IndexPool.open("jdbc:h2:file:" + dir.resolve("index") + ";DB_CLOSE_ON_EXIT=FALSE");
        index = new StudyIndex(db, dir, clock);
    }

    @AfterEach
    void close() {
        index.close();
        db.close();
    }

    StudyWorker worker(String node) {
        StudyWorker.Processor p = new StudyWorker.Processor() {
            @Override public void process(String uid) {
                processed.add(uid + " " + index.study(uid).orElseThrow().state());
                // a job failure is the processor's to record: the worker still acknowledges
                index.setState(uid, index.study(uid).orElseThrow().version(), JobState.FAILED, "TSR-0506: job failed");
            }
            @Override public boolean stopping() { return stopping.get(); }
        };
        return new StudyWorker(index, new StudyLeases(db, node, Duration.ofSeconds(30), clock), p, null, dead::add, 3,
                Duration.ofSeconds(10));
    }

    @Test
    void a_queued_version_is_processed_under_the_lease_and_acknowledged_even_when_its_job_fails() throws Exception {
        study("1.1", 1, "QUEUED");
        try (StudyWorker w = worker("a")) {
            w.handle("1.1@1");
        }
        assertEquals(List.of("1.1 QUEUED"), processed);
        assertEquals(JobState.FAILED, index.study("1.1").orElseThrow().state());
        assertEquals(Lease.fresh(0), new StudyLeases(db, "b", Duration.ofSeconds(30), clock).acquire("1.1", 1),
                "the lease was given up");
    }

    @Test
    void a_version_another_live_node_holds_or_that_is_no_longer_current_is_left_alone() throws Exception {
        study("1.2", 1, "RUNNING");
        new StudyLeases(db, "b", Duration.ofSeconds(30), clock).acquire("1.2", 1);
        study("1.3", 2, "QUEUED");
        try (StudyWorker w = worker("a")) {
            w.handle("1.2@1");
            w.handle("1.3@1");
        }
        assertEquals(List.of(), processed);
        assertEquals(JobState.RUNNING, index.study("1.2").orElseThrow().state());
        assertEquals(List.of(), dead);
    }

    @Test
    void a_lapsed_lease_is_taken_over_and_the_study_run_again_until_it_has_killed_max_takeovers_workers() throws Exception {
        study("1.4", 1, "RUNNING");
        lapsedLease("1.4", 1, 0);
        study("1.5", 1, "RUNNING");
        lapsedLease("1.5", 1, 2);
        try (StudyWorker w = worker("a")) {
            w.handle("1.4@1");
            w.handle("1.5@1");
        }
        assertEquals(List.of("1.4 QUEUED"), processed, "handed back, then processed as any queued study");
        assertEquals(List.of(new StudyVersion("1.5", 1)), dead);
        var failed = index.study("1.5").orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().orElse("").startsWith("TSR-1004: the worker processing it stopped 3 times"),
                failed.failureReason().toString());
    }

    @Test
    void a_stopping_node_rolls_the_message_back_for_another_node() throws Exception {
        study("1.6", 1, "QUEUED");
        stopping.set(true);
        try (StudyWorker w = worker("a")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.handle("1.6@1"));
            assertTrue(e.getMessage().startsWith("TSR-1006"), e.getMessage());
        }
        assertEquals(JobState.QUEUED, index.study("1.6").orElseThrow().state());
    }

    @Test
    void route_priorities_map_to_jms_priorities_by_calling_ae() {
        MessagePriority p = new MessagePriority(List.of(
                new RouteConfig("stroke", new MatchConfig("CT", null, null, "ER_CT", null), List.of("m"), List.of("pacs"),
                        null, 3, null),
                new RouteConfig("routine", null, List.of("m"), List.of("pacs"), null, -1, null),
                new RouteConfig("research", new MatchConfig("MR", null, null, "RESEARCH", null), List.of("m"), List.of("pacs"),
                        null, -9, null)));
        assertEquals(7, p.applyAsInt("ER_CT"), "highest route that takes the AE: 4 + 3");
        assertEquals(3, p.applyAsInt("WARD_CT"), "only the routine route: 4 - 1");
        assertEquals(3, p.applyAsInt("RESEARCH"), "routine -1 beats research -9");
        assertEquals(MessagePriority.DEFAULT, new MessagePriority(List.of()).applyAsInt("ANY"));
        assertEquals(9, new MessagePriority(List.of(new RouteConfig("x", null, List.of(), List.of("p"), null, 50, null)))
                .applyAsInt(null), "clamped to 9");
    }

    void study(String uid, int version, String state) throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        db.withConnection(c -> {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO studies (study_uid, state, version, instance_count,"
                    + " first_received, last_received, updated) VALUES (?, ?, ?, 1, ?, ?, ?)")) {
                in.setString(1, uid);
                in.setString(2, state);
                in.setInt(3, version);
                in.setTimestamp(4, now);
                in.setTimestamp(5, now);
                in.setTimestamp(6, now);
                return in.executeUpdate();
            }
        });
    }

    void lapsedLease(String uid, int version, int takeovers) throws Exception {
        db.withConnection(c -> {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO study_leases (study_uid, study_version, owner_node,"
                    + " lease_until, heartbeat, takeovers) VALUES (?, ?, 'dead-node', ?, ?, ?)")) {
                in.setString(1, uid);
                in.setInt(2, version);
                in.setTimestamp(3, Timestamp.from(Instant.now().minusSeconds(5)));
                in.setTimestamp(4, Timestamp.from(Instant.now().minusSeconds(35)));
                in.setInt(5, takeovers);
                return in.executeUpdate();
            }
        });
    }
}
