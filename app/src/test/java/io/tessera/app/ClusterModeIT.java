package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.JobState;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ArtemisPeer;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.PostgresPeer;
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
 * The whole server as one node of a distributed cluster ({@code cluster.mode: distributed}, every role) on a real
 * PostgreSQL index and a real Artemis broker in its own process: the completed study travels through the broker's
 * queue to the worker, under a lease, and is forwarded; the node is in the registry while it runs (and in
 * {@code GET /api/cluster}) and leaves at stop.
 */
class ClusterModeIT {
    @TempDir Path work;

    @Test
    void a_study_goes_through_the_broker_to_the_worker_under_a_lease_and_the_node_registers_and_leaves() throws Exception {
        String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);
        try (ArtemisPeer broker = ArtemisPeer.start()) {
            ServerConfig config = ServerConfig.in(work).indexUrl(url).sharedDir(work.resolve("shared")).quietPeriod("500ms")
                    .section("cluster: { mode: distributed, brokerUrl: '" + broker.url() + "', lease: 5s, heartbeat: 1s,"
                            + " reconcileEvery: 1s }")
                    .section("node: { id: node-1 }")
                    .folder("archive", work.resolve("archive"))
                    .route("name: forward-ct, match: { modality: CT }, models: [], destinations: [archive]");
            PhantomStudy study = PhantomStudy.write(new PhantomSpec(12, 48, 40, 6, 8.0, 10.0, 0, 12.0, 1), work.resolve("study"));
            String uid = study.study().studyInstanceUid();
            try (TesseraServer tessera = config.start()) {
                ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT1", "TESSERA", study.files());
                assertEquals(0, sent.exitCode(), sent.output());
                StudyRecord done = tessera.awaitFinal(uid, Duration.ofSeconds(60));
                assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
                try (Connection c = DriverManager.getConnection(url, IndexDatabase.EMBEDDED_USER, "")) {
                    assertEquals(List.of("node-1 ingest,worker,delivery"),
                            rows(c, "SELECT node_id || ' ' || roles FROM cluster_nodes"));
                    assertEquals(List.of("free published"), rows(c, "SELECT COALESCE(owner_node, 'free') || ' ' ||"
                            + " CASE WHEN published IS NULL THEN 'never' ELSE 'published' END FROM study_leases"
                            + " WHERE study_uid = '" + uid + "'"), "published to the queue, the lease given up");
                    assertEquals(List.of(Integer.toString(study.files().size())), rows(c,
                            "SELECT COUNT(*) FROM outbox WHERE state = 'SENT' AND study_uid = '" + uid + "'"));
                }
                java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(tessera.httpBaseUrl() + "/api/cluster")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, status.statusCode(), status.body());
                com.fasterxml.jackson.databind.JsonNode cluster = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body());
                assertEquals("distributed", cluster.path("mode").asText());
                assertEquals("node-1", cluster.path("nodes").path(0).path("id").asText(), status.body());
                assertTrue(cluster.path("nodes").path(0).path("live").asBoolean(), status.body());
                assertEquals(0, cluster.path("queued").asInt(), "nothing waits for a worker once the study is done");
            }
            try (Connection c = DriverManager.getConnection(url, IndexDatabase.EMBEDDED_USER, "")) {
                assertTrue(rows(c, "SELECT node_id FROM cluster_nodes").isEmpty(), "a clean stop leaves the registry");
            }
        }
    }

    /** `tessera serve` on a node without the ingest role: no DICOM port, and the start-up line must not ask for one. */
    @Test
    void a_worker_only_node_starts_as_a_process_and_says_dicom_is_off() throws Exception {
        String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);
        try (ArtemisPeer broker = ArtemisPeer.start()) {
            ServerConfig config = ServerConfig.in(work).indexUrl(url).sharedDir(work.resolve("shared"))
                    .section("cluster: { mode: distributed, brokerUrl: '" + broker.url() + "' }")
                    .section("node: { id: worker-1, roles: [worker] }")
                    .folder("archive", work.resolve("archive"))
                    .route("name: forward-ct, match: { modality: CT }, models: [], destinations: [archive]");
            try (ServerProcess worker = config.startProcess(work.resolve("worker.log"))) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> java.nio.file.Files.readString(work.resolve("worker.log")).contains("Tessera is running"));
                String log = java.nio.file.Files.readString(work.resolve("worker.log"));
                assertTrue(log.contains("Tessera is running: DICOM off (no ingest role)"), worker.tail());
                assertEquals("UP", worker.get("/health").path("status").asText());
                assertEquals(List.of("worker-1"), worker.get("/api/cluster").path("nodes").findValuesAsText("id"), worker.tail());
            }
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
