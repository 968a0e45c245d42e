package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import io.tessera.core.JobState;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import io.tessera.listener.StudyRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which queue entries the processor acts on: only a study still QUEUED at the version it holds. */
class StudyProcessorTest {
    @TempDir Path dir;
    private StudyIndex index;
    private StudyProcessor processor;

    @BeforeEach
    void open() {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(dir), dir);
        // Rules that take no CT: a processed study ends DONE "no routing rule matched", so no model is needed.
        StudyPlanner planner = new StudyPlanner(List.of(new RouteConfig("mr", new MatchConfig("MR", null, null, null, null),
                List.of("m"), List.of())), List.of());
        processor = new StudyProcessor(index, planner, (job, stages, report) -> {
            throw new AssertionError("no job runs in this test");
        }, ResultDelivery.none(), Clock.systemUTC(), io.tessera.routes.reports.StudyReports.none());
    }

    @AfterEach
    void close() {
        index.close();
    }

    private void receive(String sop) throws Exception {
        Path f = dir.resolve("incoming/7/7.1/" + sop + ".dcm");
        Files.createDirectories(f.getParent());
        Files.copy(ct(), f);
        index.recordInstance(new InstanceRecord(sop, "7", "7.1", "1.2.840.10008.5.1.4.1.1.2", "CT", "SCU", f, 1, Instant.now()));
    }

    /** One small CT slice (the rules above only take MR). */
    private Path ct() throws Exception {
        io.tessera.core.Grid g = io.tessera.core.Grid.axial(8, 8, 1, new double[3], new double[] {1, 1, 1});
        io.tessera.core.StudyInfo study = new io.tessera.core.StudyInfo("7", "P", "Test^Processor", "", "", "", "20260101", "", "", "1");
        return new io.tessera.dicomio.CtSeriesWriter().write(io.tessera.core.Volume.zeros(g), study,
                io.tessera.dicomio.CtSeriesSpec.of("7.1", "7.2", "test"), dir.resolve("ct-" + System.nanoTime())).get(0);
    }

    private void queue() {
        index.claimNow(Set.of("7"));
        assertTrue(index.markQueued("7"));
    }

    @Test
    void a_study_re_opened_after_it_was_queued_is_not_processed_by_the_old_queue_entry() throws Exception {
        receive("7.1.1");
        queue();
        receive("7.1.2"); // a slice arrives while the study waits in the queue
        processor.process("7");
        StudyRecord r = index.study("7").orElseThrow();
        assertEquals(List.of(JobState.RECEIVING, 2), List.of(r.state(), r.version()));
        assertFalse(r.stageMillis().containsKey("plan"), "nothing was planned for it: " + r.stageMillis());
    }

    @Test
    void a_queued_study_is_processed_once_even_with_two_queue_entries() throws Exception {
        receive("7.1.1");
        queue();
        processor.process("7");
        StudyRecord r = index.study("7").orElseThrow();
        assertEquals(JobState.DONE, r.state());
        assertEquals("no routing rule matched", r.failureReason().orElse(""));
        Instant updated = r.updated();
        processor.process("7"); // a duplicate entry (e.g. a release trigger and the poller)
        assertEquals(updated, index.study("7").orElseThrow().updated(), "the second entry changed nothing");
    }

    @Test
    void a_stopping_processor_leaves_queued_studies_for_the_next_start() throws Exception {
        receive("7.1.1");
        queue();
        processor.stop();
        processor.process("7");
        assertEquals(JobState.QUEUED, index.study("7").orElseThrow().state());
    }
}
