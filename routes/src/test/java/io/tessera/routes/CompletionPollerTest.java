package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.CompletionConfig;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import io.tessera.core.JobState;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionPollerTest {
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    @TempDir Path spool;
    private final ManualClock clock = new ManualClock(T0);
    private StudyIndex index;

    @BeforeEach
    void open() {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool, clock);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private void receive(String study, String sop, String callingAe) {
        index.recordInstance(new InstanceRecord(sop, study, study + ".1", "1.2.840.10008.5.1.4.1.1.2", "CT", callingAe,
                spool.resolve(sop + ".dcm"), 100, clock.instant()));
    }

    private CompletionPoller poller(Duration grace, List<String> releaseAes, Map<String, Duration> perAe, List<RouteConfig> routes) {
        return CompletionPoller.of(index, new CompletionConfig(Duration.ofSeconds(60), perAe, false, releaseAes, grace), routes, clock);
    }

    private JobState state(String study) {
        return index.study(study).orElseThrow().state();
    }

    @Test
    void quiet_periods_follow_the_calling_ae_and_the_routes() {
        CompletionPoller p = poller(Duration.ZERO, List.of(), Map.of("CT1", Duration.ofSeconds(5)),
                List.of(new RouteConfig("pacs", new MatchConfig(null, null, null, "PACS", null), List.of("m"), List.of("d"),
                        Duration.ofSeconds(30))));
        receive("1.1", "1.1.1", "CT1");
        receive("1.2", "1.2.1", "PACS");
        receive("1.3", "1.3.1", "OTHER");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("1.1"), p.claim());
        assertEquals(JobState.QUEUED, state("1.1"));
        clock.advance(Duration.ofSeconds(25));
        assertEquals(List.of("1.2"), p.claim());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), p.claim());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("1.3"), p.claim());
    }

    @Test
    void a_release_with_zero_grace_completes_the_association_studies_at_once_for_enabled_aes_only() {
        CompletionPoller p = poller(Duration.ZERO, List.of("CT1"), Map.of(), List.of());
        receive("1.1", "1.1.1", "CT1");
        receive("1.2", "1.2.1", "PACS");
        assertEquals(List.of(), p.released("PACS", Set.of("1.2")), "PACS has no release trigger");
        assertEquals(List.of("1.1"), p.released("CT1", Set.of("1.1")));
        assertEquals(JobState.QUEUED, state("1.1"));
        assertEquals(JobState.RECEIVING, state("1.2"));
        assertEquals(List.of(), p.claim(), "nothing left for the poller");
    }

    @Test
    void a_release_with_grace_completes_when_due_unless_another_instance_arrived_after_it() {
        CompletionPoller p = poller(Duration.ofSeconds(2), List.of("CT1"), Map.of(), List.of());
        receive("1.1", "1.1.1", "CT1");
        receive("1.2", "1.2.1", "CT1");
        assertEquals(List.of(), p.released("CT1", Set.of("1.1", "1.2")));
        clock.advance(Duration.ofSeconds(1));
        receive("1.2", "1.2.2", "CT1"); // a second association still sends study 1.2
        assertEquals(List.of(), p.claim(), "not due yet");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("1.1"), p.claim());
        assertEquals(JobState.RECEIVING, state("1.2"));
        assertEquals(List.of(), p.claim(), "the cancelled trigger is forgotten");
        p.released("CT1", Set.of("1.2")); // the second association ends
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("1.2"), p.claim());
    }

    @Test
    void a_release_after_a_pure_duplicate_resend_does_not_reprocess_a_finished_study() {
        CompletionPoller p = poller(Duration.ZERO, List.of("CT1"), Map.of(), List.of());
        receive("1.1", "1.1.1", "CT1");
        p.released("CT1", Set.of("1.1"));
        index.setState("1.1", 1, JobState.DONE, null);
        receive("1.1", "1.1.1", "CT1");
        assertEquals(List.of(), p.released("CT1", Set.of("1.1")));
        assertEquals(List.of(JobState.DONE, 1), List.of(state("1.1"), index.study("1.1").orElseThrow().version()));
    }

    /** A clock the test moves. */

    @Test
    void studies_queued_at_a_restart_are_handed_out_only_once_quiet_since_the_restart() {
        receive("1.1", "1.1.1", "CT1");
        receive("1.2", "1.2.1", "CT1");
        index.claimNow(java.util.Set.of("1.1", "1.2"));
        index.markQueued("1.1");
        index.markQueued("1.2");
        clock.advance(Duration.ofMinutes(30)); // the restart, long after the last instance
        CompletionPoller p = poller(Duration.ZERO, List.of(), Map.of(), List.of());
        p.resumeFrom(clock.instant(), List.of("1.1", "1.2"));
        assertEquals(List.of(), p.claim(), "not before the quiet period since the restart");
        clock.advance(Duration.ofSeconds(30));
        receive("1.2", "1.2.2", "CT1"); // the sender re-sends: a new instance re-opens the study
        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of("1.1"), p.claim(), "1.2 is RECEIVING v2 and completes by its own quiet period");
        assertEquals(List.of(JobState.RECEIVING, 2), List.of(state("1.2"), index.study("1.2").orElseThrow().version()));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of("1.2"), p.claim());
        assertEquals(List.of(), p.claim(), "each handed out once");
    }
}
