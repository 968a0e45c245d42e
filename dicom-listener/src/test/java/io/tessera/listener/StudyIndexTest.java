package io.tessera.listener;

import io.tessera.core.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The study index on embedded H2; {@link StudyIndexPostgresIT} runs the same tests on a real PostgreSQL. */
class StudyIndexTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir Path spool;
    private StudyIndex index;

    /** The index database of this test (the same one when asked again). */
    String url() {
        return StudyIndex.defaultJdbcUrl(spool);
    }

    @BeforeEach
    void open() {
        index = new StudyIndex(url(), spool);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private InstanceRecord instance(String study, String sop, Instant at) {
        return new InstanceRecord(sop, study, study + ".1", "1.2.840.10008.5.1.4.1.1.2", "CT", "PACS",
                spool.resolve("incoming").resolve(study).resolve(study + ".1").resolve(sop + ".dcm"), 1000, at);
    }

    @Test
    void records_each_sop_instance_once() {
        assertTrue(index.recordInstance(instance("1.1", "1.1.1", T0)));
        assertFalse(index.recordInstance(instance("1.1", "1.1.1", T0.plusSeconds(1))));
        StudyRecord s = index.study("1.1").orElseThrow();
        assertEquals(1, s.instanceCount());
        assertEquals(JobState.RECEIVING, s.state());
        assertEquals(1, s.version());
        assertEquals(1, index.instances("1.1").size());
    }

    @Test
    void returns_instances_with_absolute_paths_under_the_spool() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        Path p = index.instances("1.1").get(0).path();
        assertTrue(p.isAbsolute());
        assertEquals(spool.toAbsolutePath().resolve("incoming/1.1/1.1.1/1.1.1.dcm"), p);
    }

    @Test
    void claims_only_studies_quiet_for_the_whole_period() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.recordInstance(instance("1.2", "1.2.1", T0.plusSeconds(20)));
        assertEquals(List.of(), index.claimQuietStudies(T0.plusSeconds(29), Duration.ofSeconds(30)));
        assertEquals(List.of("1.1"), index.claimQuietStudies(T0.plusSeconds(30), Duration.ofSeconds(30)));
        assertEquals(List.of(), index.claimQuietStudies(T0.plusSeconds(30), Duration.ofSeconds(30)), "claimed once only");
        assertEquals(JobState.COMPLETE, index.study("1.1").orElseThrow().state());
        assertEquals(JobState.RECEIVING, index.study("1.2").orElseThrow().state());
    }

    @Test
    void counts_studies_by_state_in_the_database() {
        assertEquals(java.util.Map.of(), index.countByState());
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.recordInstance(instance("1.2", "1.2.1", T0));
        index.recordInstance(instance("1.3", "1.3.1", T0.plusSeconds(20)));
        index.claimQuietStudies(T0.plusSeconds(30), Duration.ofSeconds(30));
        assertEquals(java.util.Map.of(JobState.COMPLETE, 2, JobState.RECEIVING, 1), index.countByState());
    }

    @Test
    void applies_quiet_period_per_calling_ae() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        assertEquals(List.of(), index.claimQuietStudies(T0.plusSeconds(10), ae -> Duration.ofSeconds(60)));
        assertEquals(List.of("1.1"), index.claimQuietStudies(T0.plusSeconds(10),
                ae -> ae.equals("PACS") ? Duration.ofSeconds(5) : Duration.ofSeconds(60)));
    }

    @Test
    void late_instance_reopens_a_completed_study_under_a_new_version() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.claimQuietStudies(T0.plusSeconds(60), Duration.ofSeconds(30));
        index.setState("1.1", JobState.DONE, null);
        assertTrue(index.recordInstance(instance("1.1", "1.1.2", T0.plusSeconds(120))));
        StudyRecord s = index.study("1.1").orElseThrow();
        assertEquals(JobState.RECEIVING, s.state());
        assertEquals(2, s.version());
        assertEquals(2, s.instanceCount());
        assertEquals(T0.plusSeconds(120), s.lastReceived());
    }

    @Test
    void versioned_state_change_does_not_overwrite_a_reopened_study() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.claimQuietStudies(T0.plusSeconds(60), Duration.ofSeconds(30));
        index.recordInstance(instance("1.1", "1.1.2", T0.plusSeconds(61)));
        assertFalse(index.setState("1.1", 1, JobState.DONE, null));
        assertEquals(JobState.RECEIVING, index.study("1.1").orElseThrow().state());
        assertTrue(index.setState("1.1", 2, JobState.QUEUED, null));
    }

    @Test
    void lists_unfinished_studies_for_resumption() {
        for (String s : List.of("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")) {
            index.recordInstance(instance(s, s + ".9", T0));
        }
        index.setState("1.2", JobState.COMPLETE, null);
        index.setState("1.3", JobState.QUEUED, null);
        index.setState("1.4", JobState.RUNNING, null);
        index.setState("1.5", JobState.DELIVERING, null);
        index.setState("1.6", JobState.DONE, null);
        index.setState("1.7", JobState.FAILED, "TSR-0999: model missing");
        assertEquals(List.of("1.2", "1.3", "1.4", "1.5"), index.unfinished().stream().sorted().toList());
        assertEquals("TSR-0999: model missing", index.study("1.7").orElseThrow().failureReason().orElseThrow());
    }

    @Test
    void keeps_stage_timings_in_start_order_for_the_current_version() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.recordStage("1.1", 1, "infer", T0.plusSeconds(5), T0.plusMillis(7500));
        index.recordStage("1.1", 1, "route", T0.plusSeconds(1), T0.plusMillis(1020));
        index.recordStage("1.1", 1, "deliver", T0.plusSeconds(8), T0.plusMillis(8300));
        index.recordStage("1.1", 2, "infer", T0.plusSeconds(9), T0.plusSeconds(10));
        Map<String, Long> stages = index.study("1.1").orElseThrow().stageMillis();
        assertEquals(List.of("route", "infer", "deliver"), List.copyOf(stages.keySet()));
        assertEquals(2500L, stages.get("infer"));
        assertEquals(20L, stages.get("route"));
    }

    @Test
    void survives_reopening_the_database() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.close();
        index = new StudyIndex(url(), spool);
        assertEquals(1, index.studies().size());
        assertTrue(index.hasInstance("1.1.1"));
    }

    @Test
    void unknown_study_state_change_is_an_error_with_a_code() {
        StudyIndex.IndexException e = assertThrows(StudyIndex.IndexException.class,
                () -> index.setState("9.9", JobState.DONE, null));
        assertTrue(e.getMessage().startsWith("TSR-0121"));
    }

    @Test
    void claim_now_completes_only_receiving_studies_and_only_once() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.recordInstance(instance("1.2", "1.2.1", T0));
        index.setState("1.2", JobState.DONE, null);
        assertEquals(List.of("1.1"), index.claimNow(new java.util.LinkedHashSet<>(List.of("1.1", "1.2", "9.9"))));
        assertEquals(JobState.COMPLETE, index.study("1.1").orElseThrow().state());
        assertEquals(JobState.DONE, index.study("1.2").orElseThrow().state());
        assertEquals(List.of(), index.claimNow(java.util.Set.of("1.1")), "claimed once only");
        assertEquals(List.of(), index.claimQuietStudies(T0.plusSeconds(600), Duration.ofSeconds(1)), "the poller finds nothing left");
    }

    @Test
    void claim_now_leaves_a_study_that_received_an_instance_after_the_release() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.recordInstance(instance("1.1", "1.1.2", T0.plusSeconds(2)));
        assertEquals(List.of(), index.claimNow(java.util.Set.of("1.1"), T0.plusSeconds(1)));
        assertEquals(JobState.RECEIVING, index.study("1.1").orElseThrow().state());
        assertEquals(List.of("1.1"), index.claimNow(java.util.Set.of("1.1"), T0.plusSeconds(2)));
    }

    @Test
    void a_pure_duplicate_does_not_reopen_a_finished_study() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.claimNow(java.util.Set.of("1.1"));
        index.setState("1.1", 1, JobState.DONE, null);
        assertFalse(index.recordInstance(instance("1.1", "1.1.1", T0.plusSeconds(60))));
        StudyRecord s = index.study("1.1").orElseThrow();
        assertEquals(List.of(JobState.DONE, 1, 1, T0), List.of(s.state(), s.version(), s.instanceCount(), s.lastReceived()));
        assertEquals(1, index.instances("1.1").size());
    }

    @Test
    void a_claimed_study_is_queued_only_if_no_late_instance_reopened_it() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.recordInstance(instance("1.2", "1.2.1", T0));
        index.claimNow(java.util.Set.of("1.1", "1.2"));
        index.recordInstance(instance("1.2", "1.2.2", T0.plusSeconds(1)));
        assertTrue(index.markQueued("1.1"));
        assertFalse(index.markQueued("1.2"), "re-opened meanwhile");
        assertEquals(JobState.QUEUED, index.study("1.1").orElseThrow().state());
        assertEquals(List.of(JobState.RECEIVING, 2), List.of(index.study("1.2").orElseThrow().state(), index.study("1.2").orElseThrow().version()));
        assertFalse(index.markQueued("1.1"), "queued once only");
    }

    @Test
    void a_study_starts_running_only_from_queued_at_the_version_the_queue_saw() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.claimNow(java.util.Set.of("1.1"));
        assertTrue(index.markQueued("1.1"));
        index.recordInstance(instance("1.1", "1.1.2", T0.plusSeconds(1))); // re-opened while QUEUED
        assertFalse(index.startRun("1.1", 1), "version 1 is gone");
        assertFalse(index.startRun("1.1", 2), "version 2 is still RECEIVING");
        assertEquals(List.of(JobState.RECEIVING, 2), List.of(state("1.1"), index.study("1.1").orElseThrow().version()));
        index.claimNow(java.util.Set.of("1.1"));
        assertTrue(index.markQueued("1.1"));
        assertTrue(index.startRun("1.1", 2));
        assertFalse(index.startRun("1.1", 2), "a second queue entry for the same version does not run it twice");
    }

    @Test
    void done_with_failed_jobs_is_done_with_failures_and_keeps_the_first_reason() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        index.claimNow(java.util.Set.of("1.1"));
        index.markQueued("1.1");
        assertTrue(index.startRun("1.1", 1));
        index.recordJobFailure("1.1", 1, "TSR-0205: series 2 lacks a valid Image Position (Patient)");
        index.recordJobFailure("1.1", 1, "second");
        assertTrue(index.setState("1.1", 1, JobState.DELIVERING, null)); // the good jobs' results go out first
        assertTrue(index.setState("1.1", 1, JobState.DONE, null));
        StudyRecord s = index.study("1.1").orElseThrow();
        assertEquals(JobState.DONE_WITH_FAILURES, s.state());
        assertEquals("TSR-0205: series 2 lacks a valid Image Position (Patient)", s.failureReason().orElse(""));
        assertTrue(index.requeueFinished("1.1", 1));
        assertTrue(index.startRun("1.1", 1));
        assertTrue(index.setState("1.1", 1, JobState.DONE, null));
        assertEquals(JobState.DONE, state("1.1"), "a re-run without failures clears them");
    }

    @Test
    void studies_caught_complete_or_running_by_a_stop_are_queued_again_at_their_version() {
        for (String st : List.of("1.1", "1.2", "1.3")) index.recordInstance(instance(st, st + ".1", T0));
        index.claimNow(java.util.Set.of("1.1", "1.2", "1.3"));
        index.markQueued("1.2");
        index.markQueued("1.3");
        index.startRun("1.3", 1);
        assertEquals(2, index.requeueInterrupted());
        for (String st : List.of("1.1", "1.2", "1.3")) {
            assertEquals(List.of(JobState.QUEUED, 1), List.of(state(st), index.study(st).orElseThrow().version()), st);
        }
        assertTrue(index.startRun("1.3", 1));
        assertTrue(index.handBack("1.3", 1));
        assertEquals(JobState.QUEUED, state("1.3"));
    }

    @Test
    void after_a_restart_quiet_counts_from_the_restart() {
        index.recordInstance(instance("1.1", "1.1.1", T0));
        Instant restart = T0.plusSeconds(100);
        assertEquals(List.of(), index.claimQuietStudies(restart.plusSeconds(5), ae -> Duration.ofSeconds(10), restart));
        assertEquals(List.of("1.1"), index.claimQuietStudies(restart.plusSeconds(10), ae -> Duration.ofSeconds(10), restart));
    }

    private JobState state(String study) {
        return index.study(study).orElseThrow().state();
    }
}
