package io.tessera.routes.cluster;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.JobState;
import io.tessera.listener.IndexPool;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.OutboxStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster status from the index database: live and gone nodes, studies waiting for a worker, live and lapsed
 * study leases, outbox claims, open circuits. On embedded H2; {@link ClusterStatusPostgresIT} on PostgreSQL.
 */
class ClusterStatusTest {
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

    @BeforeEach
    void open() {
        db = IndexPool.open(url());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void nodes_queue_depth_leases_claims_and_open_circuits_as_the_index_holds_them() throws Exception {
        NodeRegistry registry = new NodeRegistry(db, LEASE, clock);
        registry.beat("gone-1", List.of("worker"));
        now.set(T.plusSeconds(60));
        registry.beat("ingest-1", List.of("ingest"));
        registry.beat("worker-1", List.of("worker", "delivery"));

        StudyIndex index = new StudyIndex(db, dir.resolve("spool"), clock);
        for (String uid : List.of("1.7.1", "1.7.2", "1.7.3")) {
            index.recordInstance(new InstanceRecord(uid + ".1", uid, uid + ".0", "1.2.840.10008.5.1.4.1.1.2", "CT", "CT1",
                    dir.resolve("spool").resolve("incoming").resolve(uid).resolve(uid + ".0").resolve(uid + ".1.dcm"), 10, T));
        }
        index.setState("1.7.1", JobState.QUEUED, null);
        index.setState("1.7.2", JobState.QUEUED, null);
        index.setState("1.7.3", JobState.RUNNING, null);
        new StudyLeases(db, "worker-1", LEASE, clock).acquire("1.7.3", 1);
        now.set(T.plusSeconds(10)); // a lease taken earlier by a node that died: lapsed by now + 60 s
        new StudyLeases(db, "gone-1", LEASE, clock).acquire("1.7.9", 1);
        now.set(T.plusSeconds(60));

        OutboxStore outbox = new OutboxStore(db);
        outbox.enqueue("1.7.3", 1, "pacs", "1.7.3.9", "results/1.7.3.9.dcm", now.get());
        long id = outbox.due(now.get()).get(0).id();
        assertTrue(outbox.claim(id, "worker-1", now.get(), now.get().plusSeconds(180)));
        db.withConnection(c -> {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO destination_breakers (destination, state, failures,"
                    + " opened_at, probe_at, probes, updated) VALUES ('pacs', 'OPEN', 3, ?, ?, 1, ?)")) {
                in.setTimestamp(1, java.sql.Timestamp.from(now.get()));
                in.setTimestamp(2, java.sql.Timestamp.from(now.get().plusSeconds(4)));
                in.setTimestamp(3, java.sql.Timestamp.from(now.get()));
                return in.executeUpdate();
            }
        });

        ClusterStatus s = ClusterStatus.read("distributed", db, LEASE, clock);
        assertEquals(List.of("gone-1 false", "ingest-1 true", "worker-1 true"),
                s.nodes().stream().map(n -> n.id() + " " + n.live()).toList());
        assertEquals(2, s.liveNodes());
        assertEquals(List.of("worker", "delivery"), s.nodes().get(2).roles());
        assertEquals(2, s.queued(), "two study versions wait for a worker");
        assertEquals(List.of("1.7.9 gone-1 false", "1.7.3 worker-1 true"),
                s.leases().stream().map(l -> l.studyUid() + " " + l.node() + " " + l.live()).toList());
        assertEquals(List.of("pacs worker-1"), s.outboxClaims().stream().map(c -> c.destination() + " " + c.node()).toList());
        assertEquals(List.of("pacs 3"), s.openCircuits().stream().map(b -> b.destination() + " " + b.failures()).toList());
    }
}
