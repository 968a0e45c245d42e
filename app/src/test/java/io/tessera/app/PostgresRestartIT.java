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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node while its PostgreSQL index restarts (a PostgreSQL server of this test's own, stopped and started
 * again by its PID on the same port and data): a C-STORE meanwhile is refused with A700 — never Success without the
 * index — and once the database is back the node reconnects on its own and the same study is accepted and processed.
 */
class PostgresRestartIT {
    @TempDir Path work;

    @Test
    void while_the_index_is_down_c_stores_are_refused_with_a700_then_accepted_once_it_is_back() throws Exception {
        PhantomStudy before = PhantomStudy.write(new PhantomSpec(31, 48, 40, 4, 8.0, 10.0, 0, 12.0, 1), work.resolve("before"));
        PhantomStudy during = PhantomStudy.write(new PhantomSpec(32, 48, 40, 4, 8.0, 10.0, 0, 12.0, 1), work.resolve("during"));
        try (PostgresPeer pg = PostgresPeer.start(); ArtemisPeer broker = ArtemisPeer.start()) {
            String url = pg.newSchemaUrl(IndexDatabase.EMBEDDED_USER);
            ServerConfig config = ServerConfig.in(work).indexUrl(url).sharedDir(work.resolve("shared")).quietPeriod("500ms")
                    .section("cluster: { mode: distributed, brokerUrl: '" + broker.url() + "', lease: 5s, heartbeat: 1s,"
                            + " reconcileEvery: 1s }")
                    .section("node: { id: node-1 }")
                    .folder("archive", work.resolve("archive"))
                    .route("name: forward-ct, match: { modality: CT }, models: [], destinations: [archive]");
            try (TesseraServer tessera = config.start()) {
                ExternalTool.Result first = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT1", "TESSERA", before.files());
                assertEquals(0, first.exitCode(), first.output());
                StudyRecord done = tessera.awaitFinal(before.study().studyInstanceUid(), Duration.ofSeconds(60));
                assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));

                pg.stopServer();
                // verbose, so storescu prints the status of its store response
                ExternalTool.Result refused = ExternalTool.run(java.util.List.of("storescu", "-v", "-R", "-aet", "CT1", "-aec",
                        "TESSERA", "127.0.0.1", Integer.toString(tessera.dicomPort()), during.files().get(0).toString()),
                        java.util.Map.of("TCP_NODELAY", "1"), 120);
                String answer = refused.output().toLowerCase().replace(" ", "");
                assertTrue(answer.contains("a700") || answer.contains("outofresources"),
                        "Out of Resources while the index is away: " + refused.output());

                pg.startAgain();
                ExternalTool.Result accepted = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT1", "TESSERA",
                        during.files());
                assertEquals(0, accepted.exitCode(), accepted.output());
                assertTrue(!accepted.output().toLowerCase().contains("a700"), accepted.output());
                StudyRecord after = tessera.awaitFinal(during.study().studyInstanceUid(), Duration.ofSeconds(90));
                assertEquals(JobState.DONE, after.state(), () -> after.failureReason().orElse(""));
                assertEquals(during.files().size(), after.instanceCount(), "every instance once: the refused one was not kept");
                assertEquals(1, after.version());
            }
        }
    }
}
