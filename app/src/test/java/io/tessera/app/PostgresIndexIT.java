package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tessera.core.JobState;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.PostgresPeer;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server on a PostgreSQL index ({@code storage.indexUrl: jdbc:postgresql://...}, a real server from
 * {@link PostgresPeer}): a study is received, completed, forwarded and settled with every row in PostgreSQL and no
 * embedded H2 file made; a restart on the same database finds it as it was.
 */
class PostgresIndexIT {
    @TempDir Path work;

    @Test
    void the_server_keeps_its_index_in_postgresql_and_finds_it_again_after_a_restart() throws Exception {
        String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);
        ServerConfig config = ServerConfig.in(work).indexUrl(url).quietPeriod("500ms")
                .folder("archive", work.resolve("archive"))
                .route("name: forward-ct, match: { modality: CT }, models: [], destinations: [archive]");
        PhantomStudy study = PhantomStudy.write(new PhantomSpec(11, 48, 40, 8, 8.0, 10.0, 0, 12.0, 1), work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        int files = study.files().size();
        try (TesseraServer tessera = config.start()) {
            ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "CT1", "TESSERA", study.files());
            assertEquals(0, sent.exitCode(), sent.output());
            StudyRecord done = tessera.awaitFinal(uid, Duration.ofSeconds(60));
            assertEquals(JobState.DONE, done.state(), () -> done.failureReason().orElse(""));
        }
        assertFalse(Files.exists(work.resolve("var/index")), "no embedded H2 index was made");
        try (Connection c = DriverManager.getConnection(url, IndexDatabase.EMBEDDED_USER, "")) {
            assertEquals(List.of("DONE", "1", Integer.toString(files)), row(c,
                    "SELECT state, version, instance_count FROM studies WHERE study_uid = ?", uid));
            assertEquals(List.of(Integer.toString(files)), row(c, "SELECT COUNT(*) FROM instances WHERE study_uid = ?", uid));
            assertEquals(List.of(Integer.toString(files)), row(c,
                    "SELECT COUNT(*) FROM outbox WHERE study_uid = ? AND state = 'SENT' AND destination = 'archive'", uid));
        }
        try (TesseraServer again = config.start()) {
            StudyRecord found = again.index().study(uid).orElseThrow();
            assertEquals(List.of(JobState.DONE, 1, files), List.of(found.state(), found.version(), found.instanceCount()));
        }
    }

    private static List<String> row(Connection c, String sql, String arg) throws Exception {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, arg);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                List<String> out = new java.util.ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) out.add(rs.getString(i));
                return out;
            }
        }
    }
}
