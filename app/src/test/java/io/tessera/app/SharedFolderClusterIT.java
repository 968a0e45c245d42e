package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.JobState;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ArtemisPeer;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.PostgresPeer;
import io.tessera.testkit.phantom.PhantomSpec;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes with storage folders of their own and one shared folder, on a real PostgreSQL index and a real Artemis
 * broker process: an ingest-only node takes the study over DICOM and copies each instance to the shared folder; a
 * worker-and-delivery node, which opens no DICOM port, segments the study from the shared copies (its own storage
 * never holds an instance), writes the SEG to the shared folder, and delivers from there.
 */
class SharedFolderClusterIT {
    @TempDir Path work;

    @Test
    void an_ingest_node_and_a_worker_node_share_instances_and_results_through_the_shared_folder() throws Exception {
        String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);
        Path shared = work.resolve("shared");
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(4343), work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        try (ArtemisPeer broker = ArtemisPeer.start()) {
            String cluster = "cluster: { mode: distributed, brokerUrl: '" + broker.url() + "', lease: 5s, heartbeat: 1s,"
                    + " reconcileEvery: 1s }";
            ServerConfig ingest = node("ingest-1", "[ingest]", url, shared, cluster);
            ServerConfig worker = node("worker-1", "[worker, delivery]", url, shared, cluster);
            try (TesseraServer in = ingest.start(); TesseraServer out = worker.start()) {
                assertThrows(IllegalStateException.class, out::dicomPort, "a node without the ingest role opens no DICOM port");
                assertFalse(answers(worker.dicomPort()), "nothing listens on the worker's configured DICOM port");
                ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", in.dicomPort(), "CT1", "TESSERA", study.files());
                assertEquals(0, sent.exitCode(), sent.output());

                StudyRecord done = out.awaitFinal(uid, Duration.ofMinutes(4));
                assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));

                assertEquals(study.files().size(), files(shared.resolve("incoming").resolve(uid)).size(),
                        "every acknowledged instance copied to the shared folder");
                assertEquals(study.files().size(), files(work.resolve("ingest-1").resolve("incoming").resolve(uid)).size(),
                        "and kept in the ingest node's own spool");
                assertFalse(Files.exists(work.resolve("worker-1").resolve("incoming").resolve(uid)),
                        "the worker read the pixels from the shared folder, never from a spool of its own");
                List<Path> segs = files(shared.resolve("results"));
                assertEquals(1, segs.size(), "the SEG is written to the shared folder: " + segs);
                assertEquals(1, files(work.resolve("archive").resolve(uid)).size(), "and delivered from there");
                try (Connection c = DriverManager.getConnection(url, IndexDatabase.EMBEDDED_USER, "")) {
                    assertEquals(List.of("ingest-1 ingest", "worker-1 worker,delivery"),
                            rows(c, "SELECT node_id || ' ' || roles FROM cluster_nodes ORDER BY node_id"));
                    assertEquals(List.of("SENT " + segs.get(0)), rows(c, "SELECT state || ' ' || file_path FROM outbox"
                            + " WHERE study_uid = '" + uid + "'"));
                }
            }
        }
    }

    private ServerConfig node(String id, String roles, String url, Path shared, String cluster) {
        return ServerConfig.in(work).file(work.resolve(id + ".yaml")).storage(work.resolve(id)).indexUrl(url)
                .sharedDir(shared).quietPeriod("500ms").section(cluster)
                .section("node: { id: " + id + ", roles: " + roles + " }")
                .folder("archive", work.resolve("archive"))
                .ctRoute(ServerConfig.CT_ORGANS, "archive");
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).toList();
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
