package io.tessera.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DeliveryConfig;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import io.tessera.routes.cluster.Broker;
import io.tessera.testkit.ArtemisPeer;
import io.tessera.testkit.JavaProcess;
import io.tessera.testkit.PostgresPeer;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Artemis broker crashes ({@code kill -9} by its PID) while two worker nodes are in the middle of jobs, and comes
 * back on the same port and journal: nothing is lost and nothing is done twice. Real PostgreSQL, a real broker process
 * and two {@link ClusterNodeMain} worker processes; this JVM is the ingest node and, at the end, the delivery node.
 */
class BrokerRestartIT {
    private static final int BEFORE_CRASH = 15;
    private static final int DURING_OUTAGE = 5;
    private static final int STUDIES = BEFORE_CRASH + DURING_OUTAGE;
    @TempDir Path dir;
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);
    private final List<JavaProcess> workers = new ArrayList<>();
    private ArtemisPeer broker;
    private IndexPool db;
    private StudyIndex index;
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        broker = ArtemisPeer.start();
        db = IndexPool.open(IndexDatabase.of(url));
        index = new StudyIndex(db, dir, Clock.systemUTC());
        camel = ingestNode();
    }

    /** The ingest node: its completion poller claims quiet studies and publishes them; its sweep republishes orphans. */
    private CamelContext ingestNode() throws Exception {
        // a publication caught by the crash may wait out the client's call timeout (10 s) before it returns; by then
        // the test has checked everything, so stopping does not wait for it
        return IngestNode.start("ingest-1", broker.url(), db, index, 5);
    }

    @AfterEach
    void stop() {
        workers.forEach(JavaProcess::close);
        if (camel != null) camel.stop();
        if (index != null) index.close();
        if (db != null) db.close();
        if (broker != null) broker.close();
    }

    private JavaProcess worker(String id) throws Exception {
        JavaProcess p = JavaProcess.start(ClusterNodeMain.class, List.of("-Xmx256m"),
                List.of(url, broker.url(), id, "worker", dir.toString()), dir.resolve(id + ".log"));
        workers.add(p);
        p.awaitLog(ClusterNodeMain.READY, 90);
        return p;
    }

    @Test
    void a_broker_killed_while_jobs_are_in_flight_loses_no_study_and_runs_none_twice() throws Exception {
        Files.createFile(dir.resolve("hold"));
        JavaProcess a = worker("worker-a");
        JavaProcess b = worker("worker-b");
        for (int i = 1; i <= BEFORE_CRASH; i++) receive("8." + i);
        // each worker is in the middle of a job (its message unacknowledged); the rest wait on the broker
        await().atMost(Duration.ofSeconds(30)).until(() -> a.logTail(100_000).contains(ClusterNodeMain.HOLDING)
                && b.logTail(100_000).contains(ClusterNodeMain.HOLDING));
        List<String> inFlight = rows("SELECT study_uid FROM studies WHERE state = 'RUNNING'");
        assertEquals(2, inFlight.size(), inFlight.toString());

        broker.kill();
        // studies that complete while the broker is away cannot be published: the sweep must publish them later
        for (int i = BEFORE_CRASH + 1; i <= STUDIES; i++) receive("8." + i);
        await().atMost(Duration.ofSeconds(15)).until(() -> rows("SELECT COUNT(*) FROM studies WHERE state = 'QUEUED'"
                + " AND study_uid IN (" + uids(BEFORE_CRASH + 1, STUDIES) + ")").equals(List.of(Integer.toString(DURING_OUTAGE))));
        // the two held jobs finish while the broker is away: their messages cannot be acknowledged
        Files.delete(dir.resolve("hold"));
        await().atMost(Duration.ofSeconds(15)).until(() -> rows("SELECT COUNT(*) FROM studies WHERE state = 'DELIVERING'")
                .equals(List.of("2")));
        assertFalse(broker.isAlive());
        broker.startAgain();

        // each job sets DELIVERING and its worker gives the lease up just after: wait for both
        await().atMost(Duration.ofSeconds(45)).until(() -> rows("SELECT COUNT(*) FROM studies WHERE state = 'DELIVERING'")
                .equals(List.of(Integer.toString(STUDIES)))
                && rows("SELECT COUNT(*) FROM study_leases WHERE owner_node IS NOT NULL").equals(List.of("0")));
        // redelivered and republished copies are voided by the workers: the queue drains, nothing is dead-lettered
        await().atMost(Duration.ofSeconds(20)).until(() -> queued("tessera.studies") == 0);
        assertEquals(0, queued("tessera.studies.dead"));

        String logs = a.logTail(10_000_000) + b.logTail(10_000_000);
        // the in-flight messages were never acknowledged: the restarted broker redelivered them, and they were voided
        for (String study : inFlight) {
            assertTrue(logs.contains("study " + study + " v1: not waiting for a worker (now v1 DELIVERING); message void"),
                    study + " not redelivered: " + a.logTail(3000) + b.logTail(3000));
        }
        List<String> runs = logs.lines().filter(l -> l.startsWith("JOB RUN ")).sorted().toList();
        assertEquals(IntStream.rangeClosed(1, STUDIES).mapToObj(i -> "JOB RUN 8." + i + " v1").sorted().toList(), runs,
                "each study run once, by one of the two workers");
        assertEquals(List.of(STUDIES + " " + STUDIES + " " + STUDIES), rows("SELECT COUNT(*) || ' ' || COUNT(DISTINCT study_uid)"
                + " || ' ' || COUNT(*) FILTER (WHERE state = 'DONE') FROM jobs"), "one DONE job record per study");
        assertEquals(List.of(Integer.toString(STUDIES)), rows("SELECT COUNT(*) FROM study_leases WHERE owner_node IS NULL"
                + " AND takeovers = 0"), "every lease given up, none taken over");
        assertEquals(List.of("0"), rows("SELECT COUNT(*) FROM study_leases WHERE owner_node IS NOT NULL"));
        assertEquals(List.of("0"), rows("SELECT COUNT(*) FROM studies WHERE state IN ('QUEUED', 'RUNNING', 'COMPLETE')"));

        // delivery: each result goes once to each destination, and every study is DONE
        Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
        Outbox delivery = new Outbox(new OutboxStore(db), ClusterNodeMain.DESTINATIONS,
                (d, e) -> sends.computeIfAbsent(d.name() + "/" + e.sopInstanceUid(), k -> new AtomicInteger()).incrementAndGet(),
                d -> { }, new IndexStudies(index), DeliveryConfig.defaults(), Clock.systemUTC(), Math::random);
        assertEquals(2 * STUDIES, delivery.drain());
        Map<String, Integer> expected = new TreeMap<>();
        for (int i = 1; i <= STUDIES; i++) {
            expected.put("pacs/8." + i + ".1.99", 1);
            expected.put("archive/8." + i + ".1.99", 1);
        }
        Map<String, Integer> sent = new TreeMap<>();
        sends.forEach((k, v) -> sent.put(k, v.get()));
        assertEquals(expected, sent);
        assertEquals(List.of(STUDIES + " DONE"), rows("SELECT COUNT(*) || ' ' || state FROM studies GROUP BY state"));
        assertEquals(List.of("0"), rows("SELECT COUNT(*) FROM outbox WHERE state <> 'SENT'"));
    }

    /** Messages waiting on {@code queue} (browsed, nothing consumed). */
    private int queued(String queue) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            try (QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
                return Collections.list(browser.getEnumeration()).size();
            }
        }
    }

    private static String uids(int from, int to) {
        return String.join(", ", IntStream.rangeClosed(from, to).mapToObj(i -> "'8." + i + "'").toList());
    }

    /** Receives one CT instance of series {@code <study>.1}, as the listener would record it. */
    private void receive(String study) throws Exception {
        String series = study + ".1";
        io.tessera.core.Grid g = io.tessera.core.Grid.axial(8, 8, 1, new double[3], new double[] {1, 1, 1});
        io.tessera.core.StudyInfo info = new io.tessera.core.StudyInfo(study, "P", "Test^Broker", "", "", "", "20260101", "",
                "", "1");
        List<Path> files = new io.tessera.dicomio.CtSeriesWriter().write(io.tessera.core.Volume.zeros(g), info,
                io.tessera.dicomio.CtSeriesSpec.of(series, series + ".0", "test"), dir.resolve("spool-" + series));
        Path file = files.get(0);
        index.recordInstance(new InstanceRecord(series + ".1", study, series, "1.2.840.10008.5.1.4.1.1.2", "CT", "SCU", file,
                Files.size(file), Instant.now()));
    }

    private List<String> rows(String sql) throws Exception {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }
}
