package io.tessera.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DeliveryConfig;
import io.tessera.core.JobState;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import io.tessera.testkit.ArtemisPeer;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.JavaProcess;
import io.tessera.testkit.PostgresPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes on one real PostgreSQL and one real Artemis broker, each broker and worker in a process of its own
 * stopped by its PID. This JVM is the ingest node (it receives, and its completion poller publishes) and the delivery
 * node; the workers are {@link ClusterNodeMain} processes.
 */
class ClusterFailoverIT {
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
        camel = ingestNode("ingest-1", db, index);
    }

    /** An ingest node in this JVM: its completion poller claims quiet studies and publishes them. */
    private CamelContext ingestNode(String id, IndexPool pool, StudyIndex on) throws Exception {
        return IngestNode.start(id, broker.url(), pool, on, 10);
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
    void a_worker_killed_in_the_middle_of_a_job_is_replaced_and_each_result_is_sent_once_per_destination() throws Exception {
        // one C-STORE to a real PACS (Orthanc) per destination, one export in the audit, one DONE job
        Files.createFile(dir.resolve("hold"));
        JavaProcess a = worker("worker-a");
        JavaProcess b = worker("worker-b");
        receive("5.1", "5.1.1", 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.logTail(100_000).contains(ClusterNodeMain.HOLDING)
                || b.logTail(100_000).contains(ClusterNodeMain.HOLDING));
        JavaProcess victim = a.logTail(100_000).contains(ClusterNodeMain.HOLDING) ? a : b;
        JavaProcess survivor = victim == a ? b : a;
        String survivorId = victim == a ? "worker-b" : "worker-a";
        assertEquals(JobState.RUNNING, index.study("5.1").orElseThrow().state());
        victim.kill(); // kill -9 in the middle of the job, its lease live
        assertFalse(victim.isAlive());
        Files.delete(dir.resolve("hold"));

        // the lease lapses (3 s), the sweep republishes, the survivor takes the study over and queues its results
        // the job sets DELIVERING and its worker gives the lease up just after: wait for both
        await().atMost(Duration.ofSeconds(60)).until(() -> index.study("5.1").orElseThrow().state() == JobState.DELIVERING
                && rows("SELECT COUNT(*) FROM study_leases WHERE owner_node IS NOT NULL").equals(List.of("0")));
        assertTrue(survivor.logTail(100_000).contains("TSR-1005"), survivor.logTail(3000));

        // delivered for real: C-STORE to Orthanc as the PACS, and the archive folder; every attempt audited
        List<ExportAudit.Export> exports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (OrthancPeer pacs = OrthancPeer.start(dir.resolve("orthanc"), "PACS", FreePorts.next(), true)) {
            List<io.tessera.config.DestinationConfig> real = List.of(
                    new io.tessera.config.DestinationConfig("pacs", "dicom", "PACS", "127.0.0.1", pacs.dicomPort(), null, null, null),
                    new io.tessera.config.DestinationConfig("archive", "folder", null, null, 0, dir.resolve("archive").toString(),
                            null, null));
            Outbox delivery = Outbox.of(new OutboxStore(db), Destinations.of(real), new Deliverer("TESSERA", exports::add),
                    index, DeliveryConfig.defaults(), Clock.systemUTC());
            assertEquals(2, delivery.drain());
            assertEquals(JobState.DONE, index.study("5.1").orElseThrow().state());
            com.fasterxml.jackson.databind.JsonNode series = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(pacs.findSeries("5.1", "CT"));
            int instances = 0;
            for (com.fasterxml.jackson.databind.JsonNode s : series) instances += s.path("Instances").size();
            assertEquals(1, instances, "the PACS holds exactly one result: " + series);
        }
        assertEquals(List.of("archive 5.1.1.99 true", "pacs 5.1.1.99 true"), exports.stream()
                .map(e -> e.destination() + " " + e.sopInstanceUid() + " " + e.success()).sorted().toList(),
                "one export per destination in the audit, each a success");
        assertEquals(List.of("pacs SENT", "archive SENT").stream().sorted().toList(),
                rows("SELECT destination || ' ' || state FROM outbox WHERE study_uid = '5.1'").stream().sorted().toList());
        assertEquals(List.of("DONE " + survivorId), rows("SELECT state || ' ' || model_version FROM jobs WHERE study_uid = '5.1'"),
                "one job record, by the survivor");
        assertEquals(List.of("1 free"), rows("SELECT takeovers || ' ' || COALESCE(owner_node, 'free') FROM study_leases"
                + " WHERE study_uid = '5.1'"), "one takeover, the lease given up");
    }

    @Test
    void a_hundred_studies_completing_while_two_ingest_nodes_poll_make_exactly_a_hundred_jobs() throws Exception {
        JavaProcess a = worker("worker-a");
        JavaProcess b = worker("worker-b");
        // a second ingest node: its own pool and index on the same database, polling at the same time
        try (IndexPool pool2 = IndexPool.open(IndexDatabase.of(url)); StudyIndex index2 = new StudyIndex(pool2, dir, Clock.systemUTC())) {
            CamelContext second = ingestNode("ingest-2", pool2, index2);
            try {
                for (int i = 1; i <= 100; i++) receive("7." + i, "7." + i + ".1", 1);
                await().atMost(Duration.ofSeconds(240)).until(() -> rows("SELECT COUNT(*) FROM studies WHERE state = 'DELIVERING'")
                        .equals(List.of("100")));
            } finally {
                second.stop();
            }
        }
        assertEquals(List.of("100"), rows("SELECT COUNT(*) FROM jobs"));
        assertEquals(List.of("100"), rows("SELECT COUNT(*) FROM study_leases WHERE takeovers = 0 AND owner_node IS NULL"));
        String logs = a.logTail(10_000_000) + b.logTail(10_000_000);
        long runs = logs.lines().filter(l -> l.startsWith("JOB RUN ")).count();
        long distinct = logs.lines().filter(l -> l.startsWith("JOB RUN ")).distinct().count();
        assertEquals(List.of(100L, 100L), List.of(runs, distinct), "each study run once, by one of the two workers");
    }

    /** Receives {@code count} CT instances of one series as the listener would record them. */
    private void receive(String study, String series, int count) throws Exception {
        io.tessera.core.Grid g = io.tessera.core.Grid.axial(8, 8, count, new double[3], new double[] {1, 1, 1});
        io.tessera.core.StudyInfo info = new io.tessera.core.StudyInfo(study, "P", "Test^Cluster", "", "", "", "20260101", "",
                "", "1");
        List<Path> files = new io.tessera.dicomio.CtSeriesWriter().write(io.tessera.core.Volume.zeros(g), info,
                io.tessera.dicomio.CtSeriesSpec.of(series, series + ".0", "test"), dir.resolve("spool-" + series));
        for (int i = 0; i < files.size(); i++) {
            String sop = series + "." + (i + 1);
            index.recordInstance(new InstanceRecord(readSop(files.get(i), sop), study, series, "1.2.840.10008.5.1.4.1.1.2", "CT",
                    "SCU", files.get(i), Files.size(files.get(i)), Instant.now()));
        }
    }

    private static String readSop(Path file, String fallback) {
        return fallback + "." + file.getFileName().toString().hashCode();
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
