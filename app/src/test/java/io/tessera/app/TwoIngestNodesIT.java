package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.JobState;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ArtemisPeer;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PostgresPeer;
import io.tessera.testkit.ScannerStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One study whose series reach two ingest nodes (a scanner behind a load balancer opens one association per series):
 * the axial series through one node, the scout and dose objects through the other. Both nodes poll for completion;
 * the study is still one study, completed once, processed once by the worker node: one version, one lease row, one
 * job, one SEG. PostgreSQL, an Artemis process and three nodes with storage folders of their own and one shared folder.
 */
class TwoIngestNodesIT {
    @TempDir Path work;

    @Test
    void two_series_through_two_ingest_nodes_are_one_study_with_one_job() throws Exception {
        String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);
        ScannerStudy study = ScannerStudy.of(new PhantomSpec(8802, 64, 64, 16, 4.0, 6.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1))
                .withSecondReconstruction(false).write(work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        List<Path> axial = study.series(ScannerStudy.AXIAL).files();
        List<Path> others = study.files().stream().filter(f -> !axial.contains(f)).toList();
        try (ArtemisPeer broker = ArtemisPeer.start()) {
            String cluster = "cluster: { mode: distributed, brokerUrl: '" + broker.url() + "', lease: 5s, heartbeat: 1s,"
                    + " reconcileEvery: 1s }";
            try (TesseraServer in1 = node("ingest-1", "[ingest]", url, cluster).start();
                 TesseraServer in2 = node("ingest-2", "[ingest]", url, cluster).start();
                 TesseraServer worker = node("worker-1", "[worker, delivery]", url, cluster).start()) {
                ExternalTool.Result first = ExternalTool.storescu("127.0.0.1", in1.dicomPort(), "CT1", "TESSERA", axial);
                assertEquals(0, first.exitCode(), first.output());
                ExternalTool.Result second = ExternalTool.storescu("127.0.0.1", in2.dicomPort(), "CT1", "TESSERA", others);
                assertEquals(0, second.exitCode(), second.output());

                StudyRecord done = worker.awaitFinal(uid, Duration.ofMinutes(4));
                assertEquals(axial.size(), spooled(work.resolve("ingest-1"), uid), "the axial series came in through ingest-1");
                assertEquals(others.size(), spooled(work.resolve("ingest-2"), uid), "the other series through ingest-2");
                assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
                assertEquals(1, done.version(), "completed once: no second version");
                assertEquals(study.files().size(), done.instanceCount(), "both nodes' instances in one study");
                try (Connection c = DriverManager.getConnection(url, IndexDatabase.EMBEDDED_USER, "")) {
                    assertEquals(List.of("1"), rows(c, "SELECT COUNT(*) FROM studies WHERE study_uid = '" + uid + "'"));
                    assertEquals(List.of("1 free"), rows(c, "SELECT study_version || ' ' || COALESCE(owner_node, 'free')"
                            + " FROM study_leases WHERE study_uid = '" + uid + "'"), "one version leased, once, then given up");
                    assertEquals(List.of("1 ct-organs DONE"), rows(c, "SELECT study_version || ' ' || route || ' ' || state"
                            + " FROM jobs WHERE study_uid = '" + uid + "'"), "one job");
                    assertEquals(List.of("1"), rows(c, "SELECT COUNT(*) FROM outbox WHERE state = 'SENT' AND study_uid = '"
                            + uid + "'"), "one SEG sent");
                }
            }
        }
    }

    private ServerConfig node(String id, String roles, String url, String cluster) {
        return ServerConfig.in(work).file(work.resolve(id + ".yaml")).storage(work.resolve(id)).indexUrl(url)
                .sharedDir(work.resolve("shared")).quietPeriod("2s").section(cluster)
                .section("node: { id: " + id + ", roles: " + roles + " }")
                .folder("results", work.resolve("results"))
                .ctRoute(ServerConfig.CT_ORGANS, "results");
    }

    private static long spooled(Path storage, String uid) throws Exception {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(storage.resolve("incoming").resolve(uid))) {
            return s.filter(p -> p.toString().endsWith(".dcm")).count();
        }
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }
}
