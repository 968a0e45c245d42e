package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.JobState;
import io.tessera.listener.StudyRecord;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race of a study re-opened while it waits in the queue: study Y's first part is QUEUED behind a long study X
 * (one study at a time), then Y's other slices trickle in one by one, each sooner than the quiet period. Y must not be
 * processed while slices are still arriving: exactly one SEG for Y, made from all of its slices.
 */
class QueuedReopenIT {
    @TempDir Path work;

    @Test
    void a_study_re_opened_while_queued_is_processed_once_from_all_its_slices() throws Exception {
        ServerConfig config = ServerConfig.in(work).quietPeriod("1500ms").section("inference: { maxConcurrentJobs: 1 }")
                .folder("results", work.resolve("results")).ctRoute(ServerConfig.CT_ORGANS, "results");
        PhantomStudy x = PhantomStudy.write(new PhantomSpec(3101, 160, 160, 160, 2.5, 2.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1),
                work.resolve("x"));
        PhantomStudy y = PhantomStudy.write(new PhantomSpec(3102, 96, 96, 60, 4.0, 4.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1),
                work.resolve("y"));
        String xUid = x.study().studyInstanceUid(), yUid = y.study().studyInstanceUid();

        try (TesseraServer tessera = config.start()) {
            send(tessera, x.files());
            tessera.awaitStudy(xUid, r -> r.state() == JobState.RUNNING, Duration.ofSeconds(60));
            send(tessera, y.files().subList(0, 30));
            tessera.awaitStudy(yUid, r -> r.state() == JobState.QUEUED, Duration.ofSeconds(30));
            assertEquals(JobState.RUNNING, tessera.index().study(xUid).orElseThrow().state(), "Y waits behind X");
            for (int i = 30; i < 60; i++) {
                send(tessera, y.files().subList(i, i + 1));
                if (i == 30) {
                    StudyRecord reopened = tessera.index().study(yUid).orElseThrow();
                    assertEquals(List.of(JobState.RECEIVING, 2), List.of(reopened.state(), reopened.version()),
                            "the first late slice re-opened the queued study");
                }
                Thread.sleep(600);
            }
            // all 60 are sent: the first final state is the settled one, and it must be version 2 holding all 60
            StudyRecord done = tessera.awaitFinal(yUid, Duration.ofMinutes(3));
            assertEquals(List.of(JobState.DONE, 2, 60), List.of(done.state(), done.version(), done.instanceCount()), done.toString());

            List<Path> segs;
            try (Stream<Path> s = Files.list(work.resolve("results").resolve(yUid))) {
                segs = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            }
            assertEquals(1, segs.size(), "one SEG for Y: " + segs);
            assertEquals(60, SegReferences.sourceSops(segs.get(0)).size(), "made from all 60 slices");
            assertEquals(JobState.DONE, tessera.awaitFinal(xUid, Duration.ofMinutes(3)).state());
        }
    }

    private static void send(TesseraServer tessera, List<Path> files) throws Exception {
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", tessera.dicomPort(), "STORESCU", "TESSERA", files);
        assertEquals(0, sent.exitCode(), sent.output());
    }
}
