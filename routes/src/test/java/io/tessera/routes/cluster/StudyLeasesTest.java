package io.tessera.routes.cluster;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.listener.IndexPool;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases, publications and the node registry on embedded H2; {@link StudyLeasesPostgresIT} runs the same on PostgreSQL. */
class StudyLeasesTest {
    static final Instant T = Instant.parse("2026-12-01T08:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    @TempDir Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(T);
    final Clock clock = new Clock() {
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    IndexPool db;

    String url() {
        return "jdbc:h2:file:" + dir.resolve("index") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The login the pool uses for {@link #url()}. */
    String jdbcUser() {
        return io.tessera.listener.IndexDatabase.EMBEDDED_USER;
    }

    @BeforeEach
    void open() {
        db = IndexPool.open(url());
    }

    @AfterEach
    void close() {
        db.close();
    }

    StudyLeases node(String id) {
        return new StudyLeases(db, id, LEASE, clock);
    }

    @Test
    void one_node_holds_a_version_until_its_lease_lapses_then_another_takes_it_over_and_the_takeover_is_counted() {
        StudyLeases a = node("a"), b = node("b");
        assertEquals(Lease.fresh(0), a.acquire("1.2.3", 1));
        assertEquals(Lease.heldBy("a"), b.acquire("1.2.3", 1));
        assertEquals(Lease.fresh(0), b.acquire("1.2.3", 2), "another version is another lease");
        now.set(T.plusSeconds(25));
        assertTrue(a.heartbeat("1.2.3", 1), "renewed to T+55s");
        now.set(T.plusSeconds(50));
        assertEquals(Lease.heldBy("a"), b.acquire("1.2.3", 1), "the renewed lease is live");
        now.set(T.plusSeconds(56));
        assertEquals(Lease.takenOver(1), b.acquire("1.2.3", 1), "a lapsed: it died");
        assertFalse(a.heartbeat("1.2.3", 1), "a lost it");
        a.release("1.2.3", 1); // a stale owner's release changes nothing
        assertEquals(Lease.heldBy("b"), node("c").acquire("1.2.3", 1));
        b.release("1.2.3", 1);
        assertEquals(Lease.fresh(1), node("c").acquire("1.2.3", 1), "released, not lapsed: no takeover, the count stays");
        assertEquals(Lease.takenOver(2), node("c").acquire("1.2.3", 1), "our own id on the row: an earlier incarnation died");
    }

    /**
     * The ingest node sends the message, then records the publication; the worker that got the message may look for
     * the row before that insert commits and insert its own after it: its insert then fails on the key. The worker must
     * take the ownerless row, not give the study up as held by another node.
     */
    @Test
    void a_worker_whose_insert_collides_with_the_publication_record_takes_the_lease() throws Exception {
        try (java.sql.Connection publisher = java.sql.DriverManager.getConnection(url(), jdbcUser(), "")) {
            publisher.setAutoCommit(false);
            try (PreparedStatement in = publisher.prepareStatement("INSERT INTO study_leases (study_uid, study_version,"
                    + " published, takeovers) VALUES ('1.2.8', 1, ?, 0)")) {
                in.setTimestamp(1, Timestamp.from(T));
                in.executeUpdate();
            }
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // the worker looks (no committed row), inserts, and waits on the publisher's uncommitted key
                Future<Lease> worker = pool.submit(() -> node("w").acquire("1.2.8", 1));
                Thread.sleep(300);
                publisher.commit();
                assertEquals(Lease.fresh(0), worker.get(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(Lease.heldBy("w"), node("x").acquire("1.2.8", 1));
    }

    @Test
    void of_many_nodes_asking_at_once_exactly_one_gets_the_lease() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int study = 0; study < 10; study++) {
                String uid = "1.2.9." + study;
                List<Callable<Lease>> asks = new java.util.ArrayList<>();
                for (int n = 0; n < 6; n++) {
                    StudyLeases leases = node("n" + n);
                    asks.add(() -> leases.acquire(uid, 1));
                }
                long winners = 0;
                for (Future<Lease> f : pool.invokeAll(asks)) winners += f.get().acquired() ? 1 : 0;
                assertEquals(1, winners, uid);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_sweep_finds_claimed_versions_no_live_lease_or_recent_publication_covers_and_one_node_republishes() throws Exception {
        study("1.1", 1, "QUEUED", T);      // published below, then held
        study("1.2", 1, "RUNNING", T);     // its worker died
        study("1.3", 2, "QUEUED", T);      // claimed, never published (node died before publishing)
        study("1.4", 1, "DONE", T);        // finished: nothing to do
        study("1.5", 1, "RECEIVING", T);   // not claimed
        Publications pub = new Publications(db, LEASE, clock);
        StudyLeases a = node("a");
        pub.published(new StudyVersion("1.1", 1));
        pub.published(new StudyVersion("1.2", 1));
        a.acquire("1.2", 1);
        assertEquals(List.of(), pub.orphans(), "all covered right after the claims");

        now.set(T.plusSeconds(31));
        assertEquals(List.of(new StudyVersion("1.2", 1), new StudyVersion("1.3", 2)), pub.orphans(),
                "1.2: lease lapsed; 1.3: never published; 1.1 waits in the queue");
        assertTrue(pub.republish(new StudyVersion("1.2", 1)));
        assertFalse(new Publications(db, LEASE, clock).republish(new StudyVersion("1.2", 1)), "another node already did");
        assertTrue(pub.republish(new StudyVersion("1.3", 2)));
        assertEquals(List.of(), pub.orphans());

        now.set(T.plus(LEASE.multipliedBy(Publications.QUEUED_PATIENCE)).plusSeconds(1));
        assertTrue(pub.orphans().contains(new StudyVersion("1.1", 1)), "a QUEUED version waits long before it is republished");
        node("b").acquire("1.1", 1);
        assertFalse(pub.orphans().contains(new StudyVersion("1.1", 1)), "a live lease covers it");
    }

    @Test
    void a_republication_the_broker_did_not_take_is_taken_back_and_found_by_the_next_sweep() throws Exception {
        study("1.1", 1, "QUEUED", T);      // claimed, its publication failed
        study("1.2", 1, "RUNNING", T);     // its worker died
        Publications pub = new Publications(db, LEASE, clock);
        now.set(T.plusSeconds(31));
        List<StudyVersion> orphans = List.of(new StudyVersion("1.1", 1), new StudyVersion("1.2", 1));
        assertEquals(orphans, pub.orphans());
        orphans.forEach(v -> assertTrue(pub.republish(v)));
        assertEquals(List.of(), pub.orphans(), "marked as on the queue");

        orphans.forEach(pub::unpublished); // the sends failed: the broker was away
        now.set(T.plusSeconds(32));
        assertEquals(orphans, pub.orphans(), "found again by the next sweep, not after " + Publications.QUEUED_PATIENCE + " leases");
        assertTrue(pub.republish(new StudyVersion("1.1", 1)));
    }

    @Test
    void nodes_beat_and_leave_and_a_silent_one_is_not_live() {
        NodeRegistry reg = new NodeRegistry(db, LEASE, clock);
        reg.beat("ingest-1", List.of("ingest"));
        reg.beat("gpu-1", List.of("worker", "delivery"));
        now.set(T.plusSeconds(20));
        reg.beat("gpu-1", List.of("worker", "delivery"));
        now.set(T.plusSeconds(40));
        List<NodeRegistry.Node> nodes = reg.nodes();
        assertEquals(List.of("gpu-1", "ingest-1"), nodes.stream().map(NodeRegistry.Node::id).toList());
        assertTrue(nodes.get(0).live());
        assertEquals(List.of("worker", "delivery"), nodes.get(0).roles());
        assertEquals(T, nodes.get(0).started());
        assertFalse(nodes.get(1).live(), "no beat for longer than a lease");
        reg.leave("ingest-1");
        assertEquals(List.of("gpu-1"), reg.nodes().stream().map(NodeRegistry.Node::id).toList());
    }

    @Test
    void a_queue_message_names_study_and_version() {
        assertEquals("1.2.840.1@3", new StudyVersion("1.2.840.1", 3).body());
        assertEquals(new StudyVersion("1.2.840.1", 3), StudyVersion.parse("1.2.840.1@3"));
        assertEquals(new StudyVersion("1.2.840.1", -1), StudyVersion.parse("1.2.840.1"));
    }

    void study(String uid, int version, String state, Instant updated) throws Exception {
        db.withConnection(c -> {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO studies (study_uid, state, version, instance_count,"
                    + " first_received, last_received, updated) VALUES (?, ?, ?, 1, ?, ?, ?)")) {
                in.setString(1, uid);
                in.setString(2, state);
                in.setInt(3, version);
                in.setTimestamp(4, Timestamp.from(updated));
                in.setTimestamp(5, Timestamp.from(updated));
                in.setTimestamp(6, Timestamp.from(updated));
                return in.executeUpdate();
            }
        });
    }
}
